import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobQueue } from '@deload/queue';

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * Keeps the team page's stored figures warm across each runner's local midnight: every 15 minutes
 * (a minute after each quarter hour, when midnight has passed somewhere) schedule a `load-summaries`
 * job. Only enqueues, with a fixed job id per quarter hour, so several workers schedule each round once.
 */
@Injectable()
export class LoadSummariesCron {
  constructor(private readonly jobs: JobQueue) {}

  @Cron('1,16,31,46 * * * *', { name: 'load-summaries-warm', timeZone: 'UTC' })
  async schedule(now = new Date()): Promise<void> {
    const slot = new Date(Math.floor(now.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS).toISOString();
    await this.jobs.add('load-summaries', { slot }, { jobId: loadSummariesJobId(slot) });
  }
}

/** `load-summaries-2026-12-03T19-45` for the slot 2026-12-03T19:45:00.000Z (job ids must not contain ':'). */
export function loadSummariesJobId(slot: string): string {
  return `load-summaries-${slot.slice(0, 16).replace(':', '-')}`;
}
