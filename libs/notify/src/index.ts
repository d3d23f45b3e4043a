/**
 * @deload/notify — every email Deload sends (alerts, pain check-ins, weekly summary, coach digest),
 * sent exactly once through the EmailLedger, rendered from Eta templates with inlined CSS.
 */
export { briefContent, withoutRepeatedAdvice, type BriefContent } from './alerts/alert-content';
export { AlertEmailRequests, SWEEP_AFTER_MS } from './alerts/alert-email-requests.service';
export { alertDeliveryKey, AlertNotifier, awaitsEmail, type AlertNotifyOutcome } from './alerts/alert-notifier.service';
export { PainCheckinMailer } from './checkins/pain-checkin-mailer.service';
export { EmailInFlightError, EmailLedger, IN_FLIGHT_GRACE_MS, type Delivery, type DeliveryOutcome } from './delivery/email-ledger.service';
export { EmailRetryNudge, SMTP_PROBE_MS } from './delivery/email-retry-nudge.service';
export { asJobError } from './delivery/job-errors';
export { RETRY_FAILED_AFTER_MS, retryFailedJob } from './delivery/retry-failed-job';
export {
  ALERT_LEVEL_LABELS,
  EMAIL_LISTS,
  EmailLinks,
  isAlertEmailLevel,
  LIST_LABELS,
  preferencesOf,
  type EmailList,
  type EmailPreferences,
} from './links/email-links.service';
export { NotifyModule } from './notify.module';
export { OutboxView, type OutboxMessage } from './outbox/outbox-view.service';
export { EmailRenderer, TEMPLATES_DIR, type EmailFrame, type RenderedEmail } from './render/email-renderer';
export { CoachDigestService } from './summaries/coach-digest.service';
export { addDays, isoWeekOf, weekBounds, type WeekBounds } from './summaries/iso-week';
export { WEEKLY_EMAIL_HOUR, WeeklyEmailScheduler } from './summaries/weekly-email-scheduler.service';
export { weeklyKey, WeeklySummaryService } from './summaries/weekly-summary.service';
