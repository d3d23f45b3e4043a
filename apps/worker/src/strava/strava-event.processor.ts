import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { deferIfAskedTo, QueuePayloads, QueueProcessor } from '@deload/queue';
import { StravaEventHandler } from '@deload/strava';

/** A recorded Strava push event: fetch and store, delete, or deauthorize (libs/strava). */
@QueueProcessor('strava-event')
export class StravaEventProcessor extends WorkerHost {
  constructor(private readonly handler: StravaEventHandler) {
    super();
  }

  async process(job: Job<QueuePayloads['strava-event']>, token?: string) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return deferIfAskedTo(job, token, () => this.handler.handle(job.data.eventId, lastAttempt));
  }
}
