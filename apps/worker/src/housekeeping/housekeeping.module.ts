import { Module } from '@nestjs/common';
import { HousekeepingCron } from './housekeeping.cron';
import { HousekeepingProcessor } from './housekeeping.processor';

/** Deleting rows whose purpose has passed (HousekeepingService, of the global PersistenceModule) and its daily cron. */
@Module({ providers: [HousekeepingProcessor, HousekeepingCron] })
export class HousekeepingWorkerModule {}
