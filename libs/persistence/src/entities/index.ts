import { AlertEntity } from './alert.entity';
import { ConsumedTokenEntity } from './consumed-token.entity';
import { EmailDeliveryEntity } from './email-delivery.entity';
import { EventOutboxEntity } from './event-outbox.entity';
import { ImportFileEntity } from './import-file.entity';
import { MembershipEntity } from './membership.entity';
import { PainReportEntity } from './pain-report.entity';
import { RunSourceEntity } from './run-source.entity';
import { RunEntity } from './run.entity';
import { SessionEntity } from './session.entity';
import { ShoeEntity } from './shoe.entity';
import { StravaConnectionEntity } from './strava-connection.entity';
import { StravaPushSubscriptionEntity } from './strava-push-subscription.entity';
import { TeamEntity } from './team.entity';
import { UserEntity } from './user.entity';
import { WebhookEventEntity } from './webhook-event.entity';

export {
  AlertEntity,
  ConsumedTokenEntity,
  EmailDeliveryEntity,
  EventOutboxEntity,
  ImportFileEntity,
  MembershipEntity,
  PainReportEntity,
  RunEntity,
  RunSourceEntity,
  SessionEntity,
  ShoeEntity,
  StravaConnectionEntity,
  StravaPushSubscriptionEntity,
  TeamEntity,
  UserEntity,
  WebhookEventEntity,
};
export type { AlertState } from './alert.entity';
export type { EmailDeliveryStatus, EmailKind } from './email-delivery.entity';
export type { ImportChannel, ImportFileStatus } from './import-file.entity';
export type { MembershipStatus } from './membership.entity';
export { LOCALLY_EDITABLE_SHOE_FIELDS, type LocallyEditableShoeField, type ShoeSource } from './shoe.entity';
export type { PainCheckinPreference } from './user.entity';
export type { WebhookEventSource, WebhookEventStatus } from './webhook-event.entity';

/** Every entity; add new ones here so the DataSource and the tests see them. */
export const ENTITIES = [
  UserEntity,
  StravaConnectionEntity,
  ShoeEntity,
  RunEntity,
  RunSourceEntity,
  PainReportEntity,
  AlertEntity,
  TeamEntity,
  MembershipEntity,
  WebhookEventEntity,
  ImportFileEntity,
  SessionEntity,
  ConsumedTokenEntity,
  StravaPushSubscriptionEntity,
  EmailDeliveryEntity,
  EventOutboxEntity,
];
