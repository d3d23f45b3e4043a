import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AlertNotifier, AlertNotifyOutcome, asJobError } from '@deload/notify';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/** Emails one alert; SMTP failures are retried with the queue's backoff. */
@QueueProcessor('notify')
export class NotifyProcessor extends WorkerHost {
  constructor(private readonly notifier: AlertNotifier) {
    super();
  }

  async process(job: Job<QueuePayloads['notify']>): Promise<AlertNotifyOutcome> {
    return this.notifier.notify(job.data.alertId).catch((error) => Promise.reject(asJobError(error)));
  }
}
