import { Injectable, Logger } from '@nestjs/common';
import { UsersRepository } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { WINDOW_DAYS } from '@deload/rules';
import { EvaluationRequests } from './evaluation-requests';

const BATCH_SIZE = 500;

/**
 * The daily evaluation of every runner, which lets alerts resolve and reminders fall due as time
 * passes without new data. The cron only adds one fan-out job per UTC date with a fixed id, so
 * several workers schedule it once; the fan-out job enqueues one `evaluate` per runner in batches.
 */
@Injectable()
export class DailyEvaluation {
  private readonly logger = new Logger(DailyEvaluation.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly jobs: JobQueue,
    private readonly requests: EvaluationRequests,
  ) {}

  /** What the cron calls: schedules the fan-out for the UTC date of `now` (at most once per date). */
  async scheduleFor(now: Date): Promise<string> {
    const day = now.toISOString().slice(0, 10);
    await this.jobs.add('evaluate-daily', { day }, { jobId: `evaluate-daily-${day}` });
    return day;
  }

  /**
   * What the fan-out job does: one evaluation request per runner who ran within the evaluation
   * window (older runners have nothing the rules could say; their next run brings them back).
   * Safe to repeat: requests for a runner already waiting coalesce.
   */
  async enqueueActiveRunners(now: Date = new Date(), batchSize = BATCH_SIZE): Promise<number> {
    const since = new Date(now.getTime() - (WINDOW_DAYS + 1) * 86_400_000);
    let cursor = '00000000-0000-0000-0000-000000000000';
    let enqueued = 0;
    for (;;) {
      const runnerIds = await this.users.runnersWhoRanSince(since, cursor, batchSize);
      await Promise.all(runnerIds.map((runnerId) => this.requests.request(runnerId, 'daily')));
      enqueued += runnerIds.length;
      if (runnerIds.length < batchSize) break;
      cursor = runnerIds[runnerIds.length - 1];
    }
    this.logger.log(`daily evaluation: ${enqueued} runners enqueued`);
    return enqueued;
  }
}
