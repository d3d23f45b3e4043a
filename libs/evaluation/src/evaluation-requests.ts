import { Injectable } from '@nestjs/common';
import { EvaluateReason, JobQueue } from '@deload/queue';

/**
 * Queues an evaluation directly, for work that is not a write (the daily fan-out). A write that
 * changes a runner's data declares an event instead (libs/events), whose follow-up is the same job.
 * Requests coalesce per runner, and a request made while an evaluation is running still gets its
 * own evaluation afterwards.
 */
@Injectable()
export class EvaluationRequests {
  constructor(private readonly jobs: JobQueue) {}

  async request(userId: string, reason: EvaluateReason): Promise<void> {
    await this.jobs.add('evaluate', { userId, reason }, { deduplicationId: `evaluate-${userId}` });
  }
}
