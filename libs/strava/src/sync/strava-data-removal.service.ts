import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvents } from '@deload/events';
import { RunIngestService } from '@deload/ingest';
import { AlertsRepository, PainReportsRepository, RunsRepository, ShoesRepository } from '@deload/persistence';
import { StravaAccessRevokedError, StravaApiError, StravaUnreachableError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { StravaOAuthClient } from '../oauth/strava-oauth.client';

export interface RemovedStravaData {
  connectionRemoved: boolean;
  runsDeleted: number;
  shoesDeleted: number;
  /** Alerts whose facts were computed from Strava data. */
  alertsDeleted: number;
  /** Pain reports read from Strava descriptions on runs that stay (those on deleted runs go with them). */
  painReportsDeleted: number;
}

/**
 * Strava data leaves when the athlete does (DESIGN.md → "Strava: what we may show to whom"), with
 * everything derived from it, in one transaction: the tokens; every Strava run source (runs with
 * no other source go; a run also uploaded as FIT stays, without the title and description Strava
 * may have given it); the Strava shoes; the pain reports read from Strava descriptions; and the
 * alerts computed from Strava data (alerts.uses_strava_data), open or resolved, with their facts.
 * The transaction declares `strava-data-removed`: the runner is then evaluated again on what is left.
 */
@Injectable()
export class StravaDataRemoval {
  private readonly logger = new Logger(StravaDataRemoval.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: StravaConnections,
    private readonly oauth: StravaOAuthClient,
    private readonly ingest: RunIngestService,
    private readonly events: DomainEvents,
    private readonly runs: RunsRepository,
    private readonly shoes: ShoesRepository,
    private readonly painReports: PainReportsRepository,
    private readonly alerts: AlertsRepository,
  ) {}

  async removeAthleteData(userId: string): Promise<RemovedStravaData> {
    return this.dataSource.transaction(async (manager) => {
      await this.runs.lockRunnerData(userId, manager);
      const connection = await this.connections.remove(manager, userId);
      await this.runs.clearStravaTextOfSharedRuns(userId, manager);
      const runs = await this.ingest.removeSource(userId, 'strava', undefined, { manager });
      const shoesDeleted = await this.shoes.deleteStrava(userId, manager);
      const painReportsDeleted = await this.painReports.deleteStravaTags(userId, manager);
      const alertsDeleted = await this.alerts.deleteStravaDerived(userId, manager);
      const removed: RemovedStravaData = {
        connectionRemoved: !!connection,
        runsDeleted: runs.runsDeleted,
        shoesDeleted,
        alertsDeleted,
        painReportsDeleted,
      };
      if (removed.connectionRemoved || runs.sourcesRemoved || removed.shoesDeleted || removed.alertsDeleted || removed.painReportsDeleted)
        await this.events.record(manager, { type: 'strava-data-removed', userId });
      return removed;
    });
  }

  /** Whether the runner has a run from this Strava activity (a delete of anything else needs no check with Strava). */
  async hasActivity(userId: string, activityId: string): Promise<boolean> {
    return this.runs.hasStravaActivity(userId, activityId);
  }

  /** A deleted Strava activity: its run goes unless another source (a FIT upload) still has it. */
  async removeActivity(userId: string, activityId: string): Promise<boolean> {
    const removed = await this.ingest.removeSource(userId, 'strava', [activityId]);
    return removed.sourcesRemoved > 0;
  }

  /**
   * The runner disconnects from Deload's side: revoke our access at Strava, then delete as for a
   * deauthorization. If Strava cannot be reached the data is deleted anyway (the tokens with it).
   */
  async disconnect(userId: string): Promise<RemovedStravaData & { revokedAtStrava: boolean }> {
    const connection = await this.connections.byUser(userId);
    let revokedAtStrava = false;
    if (connection) {
      try {
        await this.oauth.deauthorize(await this.connections.accessToken(connection));
        revokedAtStrava = true;
      } catch (error) {
        if (error instanceof StravaAccessRevokedError) revokedAtStrava = true;
        else if (!(error instanceof StravaApiError || error instanceof StravaUnreachableError)) throw error;
        else this.logger.warn(`could not revoke Deload at Strava for user ${userId}: ${error.message}`);
      }
    }
    return { ...(await this.removeAthleteData(userId)), revokedAtStrava };
  }
}
