import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { deferIfAskedTo, QueuePayloads, QueueProcessor } from '@deload/queue';
import { StravaShoes } from '@deload/strava';

/** Shoes refresh: without a user it queues one job per runner whose shoes were not read in a month. */
@QueueProcessor('strava-gear')
export class StravaGearProcessor extends WorkerHost {
  constructor(private readonly shoes: StravaShoes) {
    super();
  }

  async process(job: Job<QueuePayloads['strava-gear']>, token?: string) {
    const { userId, day } = job.data;
    return deferIfAskedTo(job, token, () => (userId ? this.shoes.refreshForUser(userId) : this.shoes.queueDailyRefresh(day)));
  }
}
