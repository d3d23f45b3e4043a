import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { JobQueue } from '@deload/queue';
import { StravaWebhookInbox } from '@deload/strava';

/** Only enqueues, with ids fixed per day or per inbox row, so several workers never double-schedule. */
@Injectable()
export class StravaCron {
  constructor(
    private readonly jobs: JobQueue,
    private readonly inbox: StravaWebhookInbox,
  ) {}

  /** Only runners whose shoes were not read in a month (StravaShoes.queueDailyRefresh), from spare budget over the day. */
  @Cron('20 4 * * *', { name: 'strava-gear-refresh', timeZone: 'UTC' })
  async refreshShoes(): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    await this.jobs.add('strava-gear', { day }, { jobId: `strava-gear-all-${day}` });
  }

  /** Runners not reconciled in two weeks (a runner who runs is reconciled after a webhook): their recent activities against what we stored. */
  @Cron('40 4 * * *', { name: 'strava-reconcile', timeZone: 'UTC' })
  async reconcileActivities(): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    await this.jobs.add('strava-reconcile', { day }, { jobId: `strava-reconcile-all-${day}` });
  }

  /** Webhook events recorded but not queued (Redis was away), whose job gave up, or whose retry time came: queue them now. */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'strava-inbox-sweep' })
  async requeueWebhookEvents(): Promise<void> {
    await this.inbox.requeuePending();
  }
}
