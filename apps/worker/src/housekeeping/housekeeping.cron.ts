import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobQueue } from '@deload/queue';

/** Once a day (03:30 UTC) schedule housekeeping; only enqueues, with a fixed job id per day. */
@Injectable()
export class HousekeepingCron {
  constructor(private readonly jobs: JobQueue) {}

  @Cron('30 3 * * *', { name: 'housekeeping', timeZone: 'UTC' })
  async schedule(now = new Date()): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    await this.jobs.add('housekeeping', { day }, { jobId: `housekeeping-${day}` });
  }
}
