import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LoadSummaryStore } from '@deload/dashboard';
import { EvaluationOutcome, EvaluationService } from '@deload/evaluation';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/**
 * Evaluates one runner. The alert emails it asks for are declared in the evaluation's transaction
 * (their `notify` jobs follow the commit, libs/events). The result, stored as the job's return
 * value, names the alerts to email. Then it stores the runner's load summaries for the coach's
 * team page (a failure there only costs the page computing them itself).
 */
@QueueProcessor('evaluate')
export class EvaluateProcessor extends WorkerHost {
  private readonly logger = new Logger(EvaluateProcessor.name);

  constructor(
    private readonly evaluation: EvaluationService,
    private readonly summaries: LoadSummaryStore,
  ) {
    super();
  }

  async process(job: Job<QueuePayloads['evaluate']>): Promise<EvaluationOutcome> {
    const outcome = await this.evaluation.evaluate(job.data.userId);
    await this.summaries.refreshRunner(job.data.userId).catch((error: unknown) => {
      this.logger.warn(`load summaries of ${job.data.userId} not stored: ${error instanceof Error ? error.message : String(error)}`);
    });
    return outcome;
  }
}
