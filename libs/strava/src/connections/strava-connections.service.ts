import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TokenCipher } from '@deload/crypto';
import { DomainError } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { RunsRepository, SealedStravaTokens, StravaConnectionEntity, StravaConnectionsRepository } from '@deload/persistence';
import type { StravaTokenResponse } from '../api/strava-schemas';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaClock } from '../clock/strava-clock';
import { StravaOAuthClient } from '../oauth/strava-oauth.client';

/** Refresh this long before Strava's expiry, so a token never dies in the middle of a job. */
export const REFRESH_MARGIN_MS = 10 * 60_000;

/**
 * Whether a call about to go out must refresh the token first: only when it expires within the
 * margin. Tokens are never refreshed ahead of need (no cron): a runner who does not run costs nothing.
 */
export function needsRefresh(expiresAt: Date, now: number): boolean {
  return expiresAt.getTime() - now <= REFRESH_MARGIN_MS;
}

/**
 * Strava connections and their tokens, encrypted at rest (AES-256-GCM bound to the user id).
 * Refreshing happens under a row lock (SELECT … FOR UPDATE, shared by every worker process through
 * PostgreSQL) and the row is read again once the lock is held: however many jobs of one runner want
 * a fresh token at once, one refreshes and the others take its token. Strava may rotate the refresh
 * token and invalidate the old one at once, so two workers must never refresh with the same one.
 */
@Injectable()
export class StravaConnections {
  constructor(
    private readonly connections: StravaConnectionsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly oauth: StravaOAuthClient,
    private readonly events: DomainEvents,
    private readonly runs: RunsRepository,
    private readonly clock: StravaClock,
  ) {}

  byAthlete(athleteId: string | number): Promise<StravaConnectionEntity | null> {
    return this.connections.byAthlete(Number(athleteId));
  }

  byUser(userId: string): Promise<StravaConnectionEntity | null> {
    return this.connections.byUser(userId);
  }

  all(): Promise<Pick<StravaConnectionEntity, 'id' | 'userId'>[]> {
    return this.connections.all();
  }

  /** Users whose history import finished, by id. */
  backfilledUserIds(): Promise<string[]> {
    return this.connections.backfilledUserIds();
  }

  /**
   * Stores the tokens of a completed OAuth exchange: a new connection, or fresh tokens and scopes
   * for the athlete's existing one. `created` is false on a reconnect. Given `historySince` (epoch
   * seconds), a new connection declares `strava-connected`: its history since then is imported next.
   */
  async saveGrant(
    userId: string,
    athleteId: string,
    scopes: string[],
    grant: StravaTokenResponse,
    historySince?: number,
  ): Promise<{ connection: StravaConnectionEntity; created: boolean }> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const saved = await this.connections.saveGrant({ userId, athleteId, scopes, ...this.sealedTokens(userId, grant) }, manager);
      if (!saved) throw new DomainError('conflict', 'this Strava account is connected to another Deload account');
      const { id, inserted } = saved;
      if (inserted && historySince !== undefined)
        await this.events.record(manager, { type: 'strava-connected', userId, connectionId: id, after: historySince });
      return { id, created: inserted };
    });
    const connection = await this.connections.byIdOrFail(saved.id);
    return { connection, created: saved.created };
  }

  /** A usable access token, refreshed first when it expires within ten minutes. */
  async accessToken(connection: StravaConnectionEntity): Promise<string> {
    if (!needsRefresh(connection.expiresAt, this.clock.now())) return this.openAccessToken(connection);
    return this.refreshIf(connection, (row) => needsRefresh(row.expiresAt, this.clock.now()));
  }

  /** Strava answered 401 to `rejected`: refresh, unless another worker already replaced it. */
  async refreshAfterRejection(connection: StravaConnectionEntity, rejected: string): Promise<string> {
    return this.refreshIf(connection, (_row, current) => current === rejected);
  }

  openAccessToken(connection: StravaConnectionEntity): string {
    return this.cipher.decrypt(connection.accessTokenEnc, connection.userId);
  }

  /**
   * Runs `work` in a transaction serialised with the removal of the runner's Strava data, and only
   * while they are still connected: a fetch that began before a disconnect or deauthorization must
   * not write Strava data after it. Throws StravaAccessRevokedError once the connection is gone.
   */
  async whileConnected<T>(userId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.runs.lockRunnerData(userId, manager);
      if (!(await this.connections.isConnected(userId, manager)))
        throw new StravaAccessRevokedError('the Strava connection was removed', true);
      return work(manager);
    });
  }

  /** Inside the caller's transaction; the caller holds the runner's data lock (see whileConnected). */
  remove(manager: EntityManager, userId: string): Promise<{ id: string } | null> {
    return this.connections.removeOfUser(userId, manager);
  }

  markBackfilled(manager: EntityManager, connectionId: string): Promise<void> {
    return this.connections.markBackfilled(connectionId, manager);
  }

  private async refreshIf(
    connection: StravaConnectionEntity,
    needed: (row: StravaConnectionEntity, currentAccessToken: string) => boolean,
  ): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.connections.lockById(connection.id, manager);
      if (!row) throw new StravaAccessRevokedError('the Strava connection was removed', true);
      const current = this.openAccessToken(row);
      if (needed(row, current)) {
        const grant = await this.oauth.refresh(this.cipher.decrypt(row.refreshTokenEnc, row.userId));
        const tokens = this.sealedTokens(row.userId, grant);
        Object.assign(row, tokens);
        await this.connections.saveTokens(row.id, tokens, manager);
      }
      Object.assign(connection, row);
      return this.openAccessToken(row);
    });
  }

  private sealedTokens(userId: string, grant: StravaTokenResponse): SealedStravaTokens {
    return {
      accessTokenEnc: this.cipher.encrypt(grant.access_token, userId),
      refreshTokenEnc: this.cipher.encrypt(grant.refresh_token, userId),
      expiresAt: new Date(grant.expires_at * 1000),
    };
  }
}
