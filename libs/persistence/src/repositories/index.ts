import type { Provider } from '@nestjs/common';
import { AlertsRepository } from './alerts.repository';
import { EmailDeliveriesRepository } from './email-deliveries.repository';
import { EventOutboxRepository } from './event-outbox.repository';
import { ImportFilesRepository } from './import-files.repository';
import { PainReportsRepository } from './pain-reports.repository';
import { RunsRepository } from './runs.repository';
import { ShoesRepository } from './shoes.repository';

export { TableRepository } from './table-repository';
export { AlertsRepository, type EmailRequest, type EmailRequestFields, type OpenSign } from './alerts.repository';
export { EmailDeliveriesRepository, type AlertEmail, type EmailToClaim } from './email-deliveries.repository';
export { EventOutboxRepository, type OutboxEvent } from './event-outbox.repository';
export { ImportFilesRepository } from './import-files.repository';
export { PainReportsRepository, type PainReportFields, type PainReportOnRun, type WeekPainLine } from './pain-reports.repository';
export {
  RunsRepository,
  type RemovedRecords,
  type RunText,
  type RunWithRecords,
  type VisibleRun,
  type WeekTotals,
} from './runs.repository';
export { ShoesRepository, type ShoeWithDistance, type StravaShoeFields } from './shoes.repository';

/** Every repository, provided (and exported) by PersistenceModule. Add new ones here. */
export const REPOSITORIES: Provider[] = [
  AlertsRepository,
  EmailDeliveriesRepository,
  EventOutboxRepository,
  ImportFilesRepository,
  PainReportsRepository,
  RunsRepository,
  ShoesRepository,
];
