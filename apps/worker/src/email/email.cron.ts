import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AlertEmailRequests, WeeklyEmailScheduler } from '@deload/notify';
import { PainCheckins } from '@deload/pain-reports';

/** Email schedules; each method only enqueues, with deterministic job ids, so several workers may run them. */
@Injectable()
export class EmailCron {
  constructor(
    private readonly alertEmails: AlertEmailRequests,
    private readonly checkins: PainCheckins,
    private readonly weekly: WeeklyEmailScheduler,
  ) {}

  /** Alert emails and check-ins whose job was lost (never drop work). */
  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'email-sweep' })
  async sweep(): Promise<void> {
    await this.alertEmails.sweep();
    await this.checkins.sweep();
  }

  /** Hourly: weekly summaries and coach digests due on Monday morning in each person's time zone. */
  @Cron('7 * * * *', { name: 'weekly-emails' })
  async weeklyEmails(): Promise<void> {
    await this.weekly.enqueueDue();
  }
}
