import { Module } from '@nestjs/common';
import { StravaModule } from '@deload/strava';
import { StravaBackfillProcessor } from './strava-backfill.processor';
import { StravaEventProcessor } from './strava-event.processor';
import { StravaGearProcessor } from './strava-gear.processor';
import { StravaReconcileProcessor } from './strava-reconcile.processor';
import { StravaCron } from './strava.cron';

/** Strava's jobs: webhook events, history backfill, shoes, the daily reconciliation, and their cron. */
@Module({
  imports: [StravaModule],
  providers: [StravaEventProcessor, StravaBackfillProcessor, StravaGearProcessor, StravaReconcileProcessor, StravaCron],
})
export class StravaWorkerModule {}
