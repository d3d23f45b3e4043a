import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { TokenCipher } from '@deload/crypto';
import { DomainError } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { RunsRepository, StravaConnectionEntity } from '@deload/persistence';
import type { StravaTokenResponse } from '../api/strava-schemas';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaOAuthClient } from '../oauth/strava-oauth.client';

/** Refresh this long before Strava's expiry, so a token never dies in the middle of a job. */
const REFRESH_MARGIN_MS = 10 * 60_000;

/**
 * Strava connections and their tokens, encrypted at rest (AES-256-GCM bound to the user id).
 * Refreshing happens under a row lock: Strava may rotate the refresh token and invalidate the old
 * one at once, so two workers must never refresh with the same one; the newest is always stored.
 */
@Injectable()
export class StravaConnections {
  constructor(
    @InjectRepository(StravaConnectionEntity) private readonly connections: Repository<StravaConnectionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly oauth: StravaOAuthClient,
    private readonly events: DomainEvents,
    private readonly runs: RunsRepository,
  ) {}

  byAthlete(athleteId: string | number): Promise<StravaConnectionEntity | null> {
    return this.connections.findOneBy({ athleteId: Number(athleteId) });
  }

  byUser(userId: string): Promise<StravaConnectionEntity | null> {
    return this.connections.findOneBy({ userId });
  }

  all(): Promise<Pick<StravaConnectionEntity, 'id' | 'userId'>[]> {
    return this.connections.find({ select: { id: true, userId: true } });
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
      const rows: (StravaConnectionEntity & { inserted: boolean })[] = await manager.query(
        `INSERT INTO strava_connections (user_id, athlete_id, scopes, access_token_enc, refresh_token_enc, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (athlete_id) DO UPDATE
           SET scopes = EXCLUDED.scopes, access_token_enc = EXCLUDED.access_token_enc,
               refresh_token_enc = EXCLUDED.refresh_token_enc, expires_at = EXCLUDED.expires_at, updated_at = now()
           WHERE strava_connections.user_id = EXCLUDED.user_id
         RETURNING id, (xmax = 0) AS inserted`,
        [userId, athleteId, scopes, ...this.sealedTokens(userId, grant)],
      );
      if (!rows.length) throw new DomainError('conflict', 'this Strava account is connected to another Deload account');
      const [{ id, inserted }] = rows;
      if (inserted && historySince !== undefined)
        await this.events.record(manager, { type: 'strava-connected', userId, connectionId: id, after: historySince });
      return { id, created: inserted };
    });
    const connection = await this.connections.findOneByOrFail({ id: saved.id });
    return { connection, created: saved.created };
  }

  /** A usable access token, refreshed first when it expires within ten minutes. */
  async accessToken(connection: StravaConnectionEntity): Promise<string> {
    if (connection.expiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) return this.openAccessToken(connection);
    return this.refreshIf(connection, (row) => row.expiresAt.getTime() - Date.now() <= REFRESH_MARGIN_MS);
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
      const [connected] = await manager.query(`SELECT 1 FROM strava_connections WHERE user_id = $1`, [userId]);
      if (!connected) throw new StravaAccessRevokedError('the Strava connection was removed', true);
      return work(manager);
    });
  }

  /** Inside the caller's transaction; the caller holds the runner's data lock (see whileConnected). */
  async remove(manager: EntityManager, userId: string): Promise<StravaConnectionEntity | null> {
    const [rows] = await manager.query(`DELETE FROM strava_connections WHERE user_id = $1 RETURNING id`, [userId]);
    return rows?.length ? (rows[0] as StravaConnectionEntity) : null;
  }

  async markBackfilled(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.update(StravaConnectionEntity, { id: connectionId }, { backfilledAt: new Date() });
  }

  private async refreshIf(
    connection: StravaConnectionEntity,
    needed: (row: StravaConnectionEntity, currentAccessToken: string) => boolean,
  ): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(StravaConnectionEntity, { where: { id: connection.id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new StravaAccessRevokedError('the Strava connection was removed', true);
      const current = this.openAccessToken(row);
      if (needed(row, current)) {
        const grant = await this.oauth.refresh(this.cipher.decrypt(row.refreshTokenEnc, row.userId));
        const [accessTokenEnc, refreshTokenEnc, expiresAt] = this.sealedTokens(row.userId, grant);
        Object.assign(row, { accessTokenEnc, refreshTokenEnc, expiresAt });
        await manager.update(StravaConnectionEntity, { id: row.id }, { accessTokenEnc, refreshTokenEnc, expiresAt });
      }
      Object.assign(connection, row);
      return this.openAccessToken(row);
    });
  }

  private sealedTokens(userId: string, grant: StravaTokenResponse): [string, string, Date] {
    return [
      this.cipher.encrypt(grant.access_token, userId),
      this.cipher.encrypt(grant.refresh_token, userId),
      new Date(grant.expires_at * 1000),
    ];
  }
}
