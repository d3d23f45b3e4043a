import type { Provider } from '@nestjs/common';
import { AlertActionsRepository } from './alert-actions.repository';
import { AlertsRepository } from './alerts.repository';
import { ConsumedTokensRepository } from './consumed-tokens.repository';
import { EmailDeliveriesRepository } from './email-deliveries.repository';
import { EventOutboxRepository } from './event-outbox.repository';
import { ImportFilesRepository } from './import-files.repository';
import { PainReportsRepository } from './pain-reports.repository';
import { RunnerLoadSummariesRepository } from './runner-load-summaries.repository';
import { RunsRepository } from './runs.repository';
import { SessionsRepository } from './sessions.repository';
import { ShoesRepository } from './shoes.repository';
import { StravaConnectionsRepository } from './strava-connections.repository';
import { StravaPushSubscriptionsRepository } from './strava-push-subscriptions.repository';
import { TeamsRepository } from './teams.repository';
import { UploadsRepository } from './uploads.repository';
import { UsersRepository } from './users.repository';
import { WebhookEventsRepository } from './webhook-events.repository';

export { TableRepository } from './table-repository';
export { AlertActionsRepository, type AlertActionRecord, type NewAlertAction } from './alert-actions.repository';
export { AlertsRepository, type EmailRequest, type EmailRequestFields, type OpenSign } from './alerts.repository';
export { ConsumedTokensRepository } from './consumed-tokens.repository';
export { EmailDeliveriesRepository, type AlertEmail, type EmailToClaim } from './email-deliveries.repository';
export { EventOutboxRepository, type OutboxEvent } from './event-outbox.repository';
export { ImportFilesRepository } from './import-files.repository';
export { UploadsRepository, type UploadedFile, type UploadRecord, type UploadStatus } from './uploads.repository';
export { PainReportsRepository, type PainReportFields, type PainReportOnRun, type WeekPainLine } from './pain-reports.repository';
export {
  RunsRepository,
  type RemovedRecords,
  type RunDetail,
  type RunListFilter,
  type RunListPage,
  type RunListRow,
  type RunText,
  type RunWithRecords,
  type RunDistance,
  type VisibleRun,
  type WeekTotals,
} from './runs.repository';
export {
  RunnerLoadSummariesRepository,
  type LoadSummaryKey,
  type LoadSummaryLookup,
  type LoadSummaryToStore,
  type StaleLoadSummaryRunner,
  type StoredLoadSummary,
} from './runner-load-summaries.repository';
export { SessionsRepository, type NewSession } from './sessions.repository';
export {
  ShoesRepository,
  type NewShoe,
  type ShoeUse,
  type ShoeWithDistance,
  type StravaShoeFields,
  type VisibleShoe,
} from './shoes.repository';
export { StravaConnectionsRepository, type LockedConnection, type SealedStravaTokens } from './strava-connections.repository';
export { StravaPushSubscriptionsRepository } from './strava-push-subscriptions.repository';
export { TeamsRepository, type InviteAnswerRow, type RosterLine, type TeamWithActiveCount } from './teams.repository';
export { UsersRepository, type EmailChangeOutcome, type NewUserDefaults, type UserChanges, type WeeklyEmailKind } from './users.repository';
export { WebhookEventsRepository, type InboxEntry, type IncomingEvent } from './webhook-events.repository';

/** Every repository, provided (and exported) by PersistenceModule. Add new ones here. */
export const REPOSITORIES: Provider[] = [
  UsersRepository,
  SessionsRepository,
  ConsumedTokensRepository,
  TeamsRepository,
  StravaConnectionsRepository,
  StravaPushSubscriptionsRepository,
  WebhookEventsRepository,
  AlertsRepository,
  AlertActionsRepository,
  EmailDeliveriesRepository,
  EventOutboxRepository,
  ImportFilesRepository,
  UploadsRepository,
  PainReportsRepository,
  RunsRepository,
  RunnerLoadSummariesRepository,
  ShoesRepository,
];
