import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { asJobError, CoachDigestService, DeliveryOutcome } from '@deload/notify';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

@QueueProcessor('coach-digest')
export class CoachDigestProcessor extends WorkerHost {
  constructor(private readonly digests: CoachDigestService) {
    super();
  }

  async process(job: Job<QueuePayloads['coach-digest']>): Promise<DeliveryOutcome> {
    return this.digests.send(job.data.coachId, job.data.week).catch((error) => Promise.reject(asJobError(error)));
  }
}
