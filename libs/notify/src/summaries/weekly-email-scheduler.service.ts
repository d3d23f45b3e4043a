import { Injectable } from '@nestjs/common';
import { UsersRepository } from '@deload/persistence';
import { JobQueue, QueueName, QueuePayloads } from '@deload/queue';
import { retryFailedJob } from '../delivery/retry-failed-job';

/** Weekly emails go out from this local hour on Monday. */
export const WEEKLY_EMAIL_HOUR = 7;

/**
 * Finds who is due a weekly email — it is Monday, WEEKLY_EMAIL_HOUR or later, in their time zone
 * (UTC when the stored zone is unknown), and this week's email was neither sent nor skipped — and
 * queues it with a deterministic job id per person and week. Run hourly by the worker's cron; any
 * number of workers may run it at once.
 */
@Injectable()
export class WeeklyEmailScheduler {
  constructor(
    private readonly users: UsersRepository,
    private readonly jobs: JobQueue,
  ) {}

  async enqueueDue(now = new Date()): Promise<{ summaries: number; digests: number }> {
    const summaries = await this.users.dueWeeklyEmail('weekly-summary', now, WEEKLY_EMAIL_HOUR);
    for (const { id, week } of summaries) await this.add('weekly-summary', { userId: id, week }, `summary-${id}-${week}`);
    const digests = await this.users.dueWeeklyEmail('coach-digest', now, WEEKLY_EMAIL_HOUR);
    for (const { id, week } of digests) await this.add('coach-digest', { coachId: id, week }, `digest-${id}-${week}`);
    return { summaries: summaries.length, digests: digests.length };
  }

  private async add<N extends QueueName>(queue: N, payload: QueuePayloads[N], jobId: string): Promise<void> {
    if (!(await retryFailedJob(this.jobs, queue, jobId))) await this.jobs.add(queue, payload, { jobId });
  }
}
