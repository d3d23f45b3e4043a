import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DailyEvaluation } from '@deload/evaluation';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/** The daily fan-out: one `evaluate` job per active runner. */
@QueueProcessor('evaluate-daily')
export class EvaluateDailyProcessor extends WorkerHost {
  constructor(private readonly daily: DailyEvaluation) {
    super();
  }

  async process(_job: Job<QueuePayloads['evaluate-daily']>): Promise<{ enqueued: number }> {
    return { enqueued: await this.daily.enqueueActiveRunners() };
  }
}
