import { Injectable } from '@nestjs/common';
import { EvaluateReason, JobQueue } from '@deload/queue';

/**
 * The producer side of the `evaluate` queue: what ingest, pain check-ins, shoe sync and settings
 * call after they change a runner's data. Bursts coalesce per runner (a backfill of 500 runs asks
 * 500 times and evaluates once or twice), and a request made while an evaluation is running
 * still gets its own evaluation afterwards.
 */
@Injectable()
export class EvaluationRequests {
  constructor(private readonly jobs: JobQueue) {}

  async request(userId: string, reason: EvaluateReason): Promise<void> {
    await this.jobs.add('evaluate', { userId, reason }, { deduplicationId: `evaluate-${userId}` });
  }
}
