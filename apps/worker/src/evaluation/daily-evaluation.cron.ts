import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DailyEvaluation } from '@deload/evaluation';

/** Once a day (04:00 UTC) schedule the evaluation of every runner; only enqueues, with a fixed job id. */
@Injectable()
export class DailyEvaluationCron {
  constructor(private readonly daily: DailyEvaluation) {}

  @Cron('0 4 * * *', { name: 'daily-evaluation', timeZone: 'UTC' })
  async schedule(): Promise<void> {
    await this.daily.scheduleFor(new Date());
  }
}
