import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { EvaluationOutcome, EvaluationService } from '@deload/alerts';
import { AlertEmailRequests } from '@deload/notify';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/**
 * Evaluates one runner, then queues the email of each alert the lifecycle marked for sending (one
 * `notify` job per alert and request; the email sweeper catches any lost between the two steps).
 * The result, stored as the job's return value, names the alerts to email.
 */
@QueueProcessor('evaluate')
export class EvaluateProcessor extends WorkerHost {
  constructor(
    private readonly evaluation: EvaluationService,
    private readonly alertEmails: AlertEmailRequests,
  ) {
    super();
  }

  async process(job: Job<QueuePayloads['evaluate']>): Promise<EvaluationOutcome> {
    const outcome = await this.evaluation.evaluate(job.data.userId);
    await this.alertEmails.enqueue(outcome.alertIdsToNotify);
    return outcome;
  }
}
