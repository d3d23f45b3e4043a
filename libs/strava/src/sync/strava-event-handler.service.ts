import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DomainError } from '@deload/domain';
import { RunIngestService } from '@deload/ingest';
import { RunsRepository, type WebhookEventStatus } from '@deload/persistence';
import { RetryLaterError } from '@deload/queue';
import { StravaApi } from '../api/strava-api';
import { StravaDetailedActivity } from '../api/strava-schemas';
import { StravaAccessRevokedError, StravaNotFoundError, StravaResponseError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { mapStravaActivity } from '../mapping/activity-mapper';
import { isShoeId } from '../mapping/gear-mapper';
import { isDeauthorization, StravaEvent } from '../webhooks/strava-event';
import { StravaWebhookInbox } from '../webhooks/strava-webhook-inbox.service';
import { StravaDataRemoval } from './strava-data-removal.service';
import { StravaReconciliation } from './strava-reconciliation.service';
import { StravaShoes } from './strava-shoes.service';

export interface EventOutcome {
  status: Exclude<WebhookEventStatus, 'pending'>;
  note: string;
}

type StravaConnection = Parameters<StravaApi['activity']>[0];

const processed = (note: string): EventOutcome => ({ status: 'processed', note });
const ignored = (note: string): EventOutcome => ({ status: 'ignored', note });
/** The runner deleted the run of this activity from their runs list (deleted_run_records): it is neither fetched nor stored again. */
const DELETED_BY_RUNNER = 'the runner deleted this run: its activity is not stored again';

/** Errors that another attempt cannot fix. */
function isPermanent(error: unknown): boolean {
  return error instanceof StravaAccessRevokedError || error instanceof StravaResponseError || error instanceof DomainError;
}

/**
 * One inbox event: create/update → fetch the activity (and its shoe if new) → store the run
 * through ingest; delete → remove the run; athlete `authorized: "false"` → delete the athlete's
 * tokens and Strava data. Ingest declares `runs-changed` (the runner's evaluation follows the
 * commit). The inbox row records the outcome.
 *
 * Nothing is removed on an event's word alone (anyone can POST to the callback): a delete is
 * confirmed by fetching the activity (Strava answers 404), a deauthorization by a call with the
 * athlete's token (Strava refuses it, and refuses the refresh token too). Both calls go through the
 * shared rate limiter like any other; an event Strava contradicts is kept in the inbox as ignored.
 *
 * After a run is stored the runner's token is fresh for hours: spare work that is due for them
 * (their fortnightly reconciliation, their monthly shoe list) is done then, from spare budget, so it
 * costs no token refresh of its own. When the budget has no room it is left for the daily jobs.
 */
@Injectable()
export class StravaEventHandler {
  private readonly logger = new Logger(StravaEventHandler.name);

  constructor(
    private readonly inbox: StravaWebhookInbox,
    private readonly connections: StravaConnections,
    private readonly api: StravaApi,
    private readonly shoes: StravaShoes,
    private readonly ingest: RunIngestService,
    private readonly removal: StravaDataRemoval,
    private readonly runs: RunsRepository,
    private readonly reconciliation: StravaReconciliation,
  ) {}

  /** `lastAttempt`: the job's own retries are used up; a passing failure is left to the inbox's retries (postpone). */
  async handle(eventId: string, lastAttempt: boolean): Promise<EventOutcome> {
    const loaded = await this.inbox.load(eventId);
    if (!loaded) return ignored('no such inbox event');
    if (loaded.status !== 'pending') return { status: loaded.status, note: 'already settled' };
    try {
      const outcome = await this.apply(loaded.event);
      await this.inbox.settle(eventId, outcome.status, outcome.note);
      if (outcome.status === 'processed' && loaded.event.object_type === 'activity') await this.whileTokenFresh(loaded.event.owner_id);
      return outcome;
    } catch (error) {
      if (error instanceof RetryLaterError) throw error;
      const permanent = isPermanent(error);
      if (permanent) await this.inbox.settle(eventId, 'failed', (error as Error).message);
      // Strava (or we) failed for longer than the job's retries: the inbox retries it later, for days.
      else if (lastAttempt) await this.inbox.postpone(eventId, (error as Error).message);
      throw permanent ? new UnrecoverableError((error as Error).message) : error;
    }
  }

  /** Spare work due for the runner whose activity was just fetched; never fails the event, which is settled. */
  private async whileTokenFresh(athleteId: string): Promise<void> {
    try {
      const connection = await this.connections.byAthlete(athleteId);
      if (!connection) return;
      await this.reconciliation.reconcileIfDue(connection, 'spare');
      await this.shoes.refreshIfDue(connection, 'spare');
    } catch (error) {
      this.logger.debug(`spare Strava work after a webhook left for later: ${(error as Error).message}`);
    }
  }

  private async apply(event: StravaEvent): Promise<EventOutcome> {
    const connection = await this.connections.byAthlete(event.owner_id);
    if (!connection) return ignored(`athlete ${event.owner_id} is not connected`);
    if (event.object_type === 'athlete') {
      if (!isDeauthorization(event)) return ignored('athlete profile change');
      if (!(await this.accessRevoked(connection)))
        return ignored('deauthorization not confirmed: Strava still accepts the athlete’s token');
      const removed = await this.removal.removeAthleteData(connection.userId);
      return processed(
        `deauthorized: removed ${removed.runsDeleted} runs, ${removed.shoesDeleted} shoes, ${removed.alertsDeleted} alerts and ${removed.painReportsDeleted} pain reports read from Strava`,
      );
    }
    if (event.aspect_type === 'delete') {
      if (!(await this.removal.hasActivity(connection.userId, event.object_id))) return ignored('activity was not stored');
      return this.confirmDeletion(connection, event.object_id);
    }
    if ((await this.runs.deletedStravaActivities(connection.userId, [event.object_id])).length) return ignored(DELETED_BY_RUNNER);
    try {
      return await this.storeActivity(connection, await this.api.activity(connection, event.object_id, 'webhook'));
    } catch (error) {
      if (error instanceof StravaNotFoundError) return ignored('activity no longer on Strava');
      if (error instanceof StravaAccessRevokedError && !(await this.connections.byAthlete(event.owner_id))) {
        return ignored('athlete disconnected meanwhile');
      }
      throw error;
    }
  }

  /**
   * Whether the athlete withdrew Deload's access: a call with their token is refused and so is the
   * refresh token. Anything else (Strava down, our budget spent) throws, and the job tries again.
   */
  private async accessRevoked(connection: StravaConnection): Promise<boolean> {
    try {
      await this.api.athlete(connection, 'webhook');
      return false;
    } catch (error) {
      if (error instanceof StravaAccessRevokedError && error.grantRevoked) return true;
      throw error;
    }
  }

  /** A delete stands only when Strava no longer has the activity; otherwise the run stays, refreshed from what Strava says. */
  private async confirmDeletion(connection: StravaConnection, activityId: string): Promise<EventOutcome> {
    let activity: StravaDetailedActivity;
    try {
      activity = await this.api.activity(connection, activityId, 'webhook');
    } catch (error) {
      if (!(error instanceof StravaNotFoundError)) throw error;
      await this.removal.removeActivity(connection.userId, activityId);
      return processed('activity removed (Strava answers 404 for it)');
    }
    await this.storeActivity(connection, activity);
    return ignored('delete not confirmed: the activity is still on Strava, the run is kept');
  }

  private async storeActivity(connection: StravaConnection, activity: StravaDetailedActivity): Promise<EventOutcome> {
    const run = mapStravaActivity(activity);
    if (isShoeId(run.gearRef)) await this.shoes.ensureKnown(connection, run.gearRef, 'webhook');
    const outcomes = await this.connections.whileConnected(connection.userId, (manager) =>
      this.ingest.upsertRuns(connection.userId, [run], { manager }),
    );
    if (!outcomes.length) return ignored(DELETED_BY_RUNNER);
    return processed(`run ${outcomes[0].status}`);
  }
}
