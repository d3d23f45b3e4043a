import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { EvaluationOutcome, EvaluationService } from '@deload/evaluation';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/**
 * Evaluates one runner. The alert emails it asks for are declared in the evaluation's transaction
 * (their `notify` jobs follow the commit, libs/events). The result, stored as the job's return
 * value, names the alerts to email.
 */
@QueueProcessor('evaluate')
export class EvaluateProcessor extends WorkerHost {
  constructor(private readonly evaluation: EvaluationService) {
    super();
  }

  async process(job: Job<QueuePayloads['evaluate']>): Promise<EvaluationOutcome> {
    return this.evaluation.evaluate(job.data.userId);
  }
}
