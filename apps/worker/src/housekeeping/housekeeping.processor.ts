import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { HousekeepingResult, HousekeepingService } from '@deload/persistence';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

@QueueProcessor('housekeeping')
export class HousekeepingProcessor extends WorkerHost {
  constructor(private readonly housekeeping: HousekeepingService) {
    super();
  }

  async process(_job: Job<QueuePayloads['housekeeping']>): Promise<HousekeepingResult> {
    return this.housekeeping.prune();
  }
}
