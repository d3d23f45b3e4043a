import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { deferIfAskedTo, QueuePayloads, QueueProcessor } from '@deload/queue';
import { StravaBackfill } from '@deload/strava';

/** A new connection's history; progress is kept in the job so a rate-limit delay resumes where it stopped. */
@QueueProcessor('strava-backfill')
export class StravaBackfillProcessor extends WorkerHost {
  constructor(private readonly backfill: StravaBackfill) {
    super();
  }

  async process(job: Job<QueuePayloads['strava-backfill']>, token?: string) {
    return deferIfAskedTo(job, token, () => this.backfill.run(job.data, (progress) => job.updateData(progress)));
  }
}
