import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { asJobError, DeliveryOutcome, WeeklySummaryService } from '@deload/notify';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

@QueueProcessor('weekly-summary')
export class WeeklySummaryProcessor extends WorkerHost {
  constructor(private readonly summaries: WeeklySummaryService) {
    super();
  }

  async process(job: Job<QueuePayloads['weekly-summary']>): Promise<DeliveryOutcome> {
    return this.summaries.send(job.data.userId, job.data.week).catch((error) => Promise.reject(asJobError(error)));
  }
}
