import { Module } from '@nestjs/common';
import { RateLimiter } from '@deload/auth';
import { EventsModule } from '@deload/events';
import { IngestModule } from '@deload/ingest';
import { StravaAccountMerge } from './accounts/strava-account-merge.service';
import { StravaApi } from './api/strava-api';
import { StravaClock } from './clock/strava-clock';
import { StravaConnections } from './connections/strava-connections.service';
import { StravaConnectFlow } from './oauth/strava-connect.service';
import { StravaRateLimiter } from './rate-limit/strava-rate-limiter';
import { STRAVA_RATE_WINDOWS, STRAVA_WINDOWS } from './rate-limit/rate-windows';
import { StravaSubscriptionsModule } from './strava-subscriptions.module';
import { StravaWebhookInbox } from './webhooks/strava-webhook-inbox.service';
import { WebhookIntakeLimit } from './webhooks/webhook-intake-limit';
import { StravaBackfill } from './sync/strava-backfill.service';
import { StravaDataRemoval } from './sync/strava-data-removal.service';
import { StravaEventHandler } from './sync/strava-event-handler.service';
import { StravaReconciliation } from './sync/strava-reconciliation.service';
import { StravaShoes } from './sync/strava-shoes.service';

const SERVICES = [
  StravaClock,
  StravaRateLimiter,
  StravaConnections,
  StravaApi,
  StravaConnectFlow,
  StravaWebhookInbox,
  StravaShoes,
  StravaDataRemoval,
  StravaEventHandler,
  StravaBackfill,
  StravaAccountMerge,
  WebhookIntakeLimit,
  StravaReconciliation,
];

/**
 * Everything Strava for the api and the worker. Needs the global Config, Persistence, Queue and
 * Auth modules of the app it is imported into.
 */
@Module({
  imports: [StravaSubscriptionsModule, IngestModule, EventsModule],
  providers: [{ provide: STRAVA_RATE_WINDOWS, useValue: STRAVA_WINDOWS }, RateLimiter, ...SERVICES],
  exports: [StravaSubscriptionsModule, ...SERVICES],
})
export class StravaModule {}
