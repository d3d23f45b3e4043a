import { Module } from '@nestjs/common';
import { PainReportsModule } from '@deload/pain-reports';
import { AlertEmailRequests } from './alerts/alert-email-requests.service';
import { AlertNotifier } from './alerts/alert-notifier.service';
import { PainCheckinMailer } from './checkins/pain-checkin-mailer.service';
import { EmailLedger } from './delivery/email-ledger.service';
import { EmailRetryNudge } from './delivery/email-retry-nudge.service';
import { EmailLinks } from './links/email-links.service';
import { OutboxView } from './outbox/outbox-view.service';
import { EmailRenderer } from './render/email-renderer';
import { CoachDigestService } from './summaries/coach-digest.service';
import { WeeklyEmailScheduler } from './summaries/weekly-email-scheduler.service';
import { WeeklySummaryService } from './summaries/weekly-summary.service';

const SERVICES = [
  AlertEmailRequests,
  AlertNotifier,
  PainCheckinMailer,
  EmailLedger,
  EmailRetryNudge,
  EmailLinks,
  OutboxView,
  CoachDigestService,
  WeeklyEmailScheduler,
  WeeklySummaryService,
];

/** Every email Deload sends, and the links in them. Needs the app's Config, Persistence, Queue, Mail and Auth modules. */
@Module({
  imports: [PainReportsModule],
  providers: [...SERVICES, { provide: EmailRenderer, useFactory: () => new EmailRenderer() }],
  exports: [...SERVICES, EmailRenderer, PainReportsModule],
})
export class NotifyModule {}
