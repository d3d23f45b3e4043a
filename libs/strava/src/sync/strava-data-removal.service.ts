import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvents } from '@deload/events';
import { lockRunnerData, RunIngestService } from '@deload/ingest';
import { StravaAccessRevokedError, StravaApiError, StravaUnreachableError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { StravaOAuthClient } from '../oauth/strava-oauth.client';

export interface RemovedStravaData {
  connectionRemoved: boolean;
  runsDeleted: number;
  shoesDeleted: number;
}

/**
 * Strava data leaves when the athlete does (DESIGN.md → "Strava: what we may show to whom"): the
 * tokens, every Strava run source (runs with no other source go; a run also uploaded as FIT stays)
 * and the Strava shoes, in one transaction that declares `strava-data-removed` (the runner's alerts
 * are re-evaluated without them).
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
  ) {}

  async removeAthleteData(userId: string): Promise<RemovedStravaData> {
    return this.dataSource.transaction(async (manager) => {
      await lockRunnerData(manager, userId);
      const connection = await this.connections.remove(manager, userId);
      const runs = await this.ingest.removeSource(userId, 'strava', undefined, { manager });
      const [, shoesDeleted] = await manager.query(`DELETE FROM shoes WHERE user_id = $1 AND source = 'strava'`, [userId]);
      const removed = { connectionRemoved: !!connection, runsDeleted: runs.runsDeleted, shoesDeleted: Number(shoesDeleted ?? 0) };
      if (removed.connectionRemoved || runs.sourcesRemoved || removed.shoesDeleted)
        await this.events.record(manager, { type: 'strava-data-removed', userId });
      return removed;
    });
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
