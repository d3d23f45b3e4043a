import type { Provider } from '@nestjs/common';
import { ConsumedTokensRepository } from './consumed-tokens.repository';
import { SessionsRepository } from './sessions.repository';
import { StravaConnectionsRepository } from './strava-connections.repository';
import { StravaPushSubscriptionsRepository } from './strava-push-subscriptions.repository';
import { TeamsRepository } from './teams.repository';
import { UsersRepository } from './users.repository';
import { WebhookEventsRepository } from './webhook-events.repository';

export { TableRepository } from './table-repository';
export { ConsumedTokensRepository } from './consumed-tokens.repository';
export { SessionsRepository, type NewSession } from './sessions.repository';
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
];
