/**
 * @deload/strava — the Strava connection: OAuth connect flow, encrypted tokens with refresh,
 * strava-v3 client through a shared Redis rate limiter, webhook intake (inbox + queue), push
 * subscription management, mapping of activities and gear to the domain, and the coach
 * visibility rule for Strava data.
 */
export {
  MERGE_TTL_S,
  StravaAccountMerge,
  type MergeClaim,
  type MergePreview,
  type MergeResult,
} from './accounts/strava-account-merge.service';
export { StravaApi, type ActivityPage } from './api/strava-api';
export * from './api/strava-errors';
export * from './api/strava-schemas';
export { StravaClock } from './clock/strava-clock';
export { needsRefresh, REFRESH_MARGIN_MS, StravaConnections } from './connections/strava-connections.service';
export { elevationLossOf, ianaZoneOf, mapStravaActivity, needsDetail, sportOf, utcOffsetOf } from './mapping/activity-mapper';
export { isShoeId, mapDetailedGear, mapSummaryGear, notificationDistanceMetres, type StravaShoe } from './mapping/gear-mapper';
export { BACKFILL_DAYS } from './sync/backfill-window';
export {
  CALLBACK_PATH,
  StravaConnectFlow,
  stravaPlaceholderEmail,
  type CallbackQuery,
  type ConnectOutcome,
} from './oauth/strava-connect.service';
export { REQUIRED_SCOPES, StravaOAuthClient } from './oauth/strava-oauth.client';
export { budgetFromHeaders, exhaustedWindow, type RateBudget } from './rate-limit/rate-limit-headers';
export { budgetShares, dayProgress, mayRequest, type BudgetShares } from './rate-limit/budget-planner';
export { STRAVA_RATE_WINDOWS, STRAVA_WINDOWS, windowEnd, windowStart, type RateWindows } from './rate-limit/rate-windows';
export { StravaRateLimiter, type RatePermit, type StravaPriority } from './rate-limit/strava-rate-limiter';
export { StravaModule } from './strava.module';
export { StravaSubscriptionsModule } from './strava-subscriptions.module';
export {
  DETAIL_LOOKBACK_DAYS,
  MAX_DETAILS,
  PAGE_SIZE,
  StravaBackfill,
  type BackfillProgress,
  type BackfillResult,
} from './sync/strava-backfill.service';
export { StravaDataRemoval, type RemovedStravaData } from './sync/strava-data-removal.service';
export { StravaEventHandler, type EventOutcome } from './sync/strava-event-handler.service';
export {
  RECONCILE_EVERY_DAYS,
  RECONCILE_LOOKBACK_DAYS,
  StravaReconciliation,
  type ReconcileResult,
} from './sync/strava-reconciliation.service';
export { DAILY_JOB_GRACE_DAYS, GEAR_REFRESH_DAYS, StravaShoes } from './sync/strava-shoes.service';
export { StravaPushSubscriptions, WEBHOOK_PATH, type PushSubscriptionInfo } from './webhooks/push-subscriptions.service';
export { eventDedupeKey, isDeauthorization, stravaEventSchema, type StravaEvent } from './webhooks/strava-event';
export {
  nextRetryAt,
  RETRY_HORIZON_MS,
  STRAVA_PROVIDER,
  StravaWebhookInbox,
  stravaEventJobId,
  type ReceivedEvent,
} from './webhooks/strava-webhook-inbox.service';
export { WebhookIntakeLimit } from './webhooks/webhook-intake-limit';
