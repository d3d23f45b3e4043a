import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { asJobError, DeliveryOutcome, PainCheckinMailer } from '@deload/notify';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/** Sends the "how did your run feel?" email for one run (or decides not to). */
@QueueProcessor('pain-checkin')
export class PainCheckinProcessor extends WorkerHost {
  constructor(private readonly mailer: PainCheckinMailer) {
    super();
  }

  async process(job: Job<QueuePayloads['pain-checkin']>): Promise<DeliveryOutcome> {
    return this.mailer.send(job.data.runId).catch((error) => Promise.reject(asJobError(error)));
  }
}
