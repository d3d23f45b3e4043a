import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StravaConnectionEntity } from '../entities/strava-connection.entity';
import { TableRepository } from './table-repository';

/** A connection's tokens as stored: AES-256-GCM ciphertexts sealed to the owner's user id, and the access token's expiry. */
export interface SealedStravaTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  expiresAt: Date;
}

/** A connection as an account merge reads it under its row lock. */
export type LockedConnection = Pick<StravaConnectionEntity, 'id' | 'accessTokenEnc' | 'refreshTokenEnc' | 'backfilledAt'>;

/** Strava connections: one per athlete, one per user; their tokens only ever sealed. */
@Injectable()
export class StravaConnectionsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** The connection, which must exist (EntityNotFoundError otherwise). */
  byIdOrFail(id: string): Promise<StravaConnectionEntity> {
    return this.db().findOneByOrFail(StravaConnectionEntity, { id });
  }

  byAthlete(athleteId: number): Promise<StravaConnectionEntity | null> {
    return this.db().findOneBy(StravaConnectionEntity, { athleteId });
  }

  byUser(userId: string): Promise<StravaConnectionEntity | null> {
    return this.db().findOneBy(StravaConnectionEntity, { userId });
  }

  all(): Promise<Pick<StravaConnectionEntity, 'id' | 'userId'>[]> {
    return this.db().find(StravaConnectionEntity, { select: { id: true, userId: true } });
  }

  /**
   * Stores a completed OAuth grant: a new connection, or new tokens and scopes on the athlete's
   * connection of the same user (`inserted` false). Null when the athlete is connected to another user.
   */
  async saveGrant(
    grant: { userId: string; athleteId: string; scopes: string[] } & SealedStravaTokens,
    tx?: EntityManager,
  ): Promise<{ id: string; inserted: boolean } | null> {
    const rows: { id: string; inserted: boolean }[] = await this.db(tx).query(
      `INSERT INTO strava_connections (user_id, athlete_id, scopes, access_token_enc, refresh_token_enc, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (athlete_id) DO UPDATE
         SET scopes = EXCLUDED.scopes, access_token_enc = EXCLUDED.access_token_enc,
             refresh_token_enc = EXCLUDED.refresh_token_enc, expires_at = EXCLUDED.expires_at, updated_at = now()
         WHERE strava_connections.user_id = EXCLUDED.user_id
       RETURNING id, (xmax = 0) AS inserted`,
      [grant.userId, grant.athleteId, grant.scopes, grant.accessTokenEnc, grant.refreshTokenEnc, grant.expiresAt],
    );
    return rows[0] ?? null;
  }

  /** The connection, locked against other refreshes until the caller's transaction ends. */
  lockById(id: string, tx: EntityManager): Promise<StravaConnectionEntity | null> {
    return tx.findOne(StravaConnectionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async saveTokens(id: string, tokens: SealedStravaTokens, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(StravaConnectionEntity, { id }, tokens);
  }

  async isConnected(userId: string, tx?: EntityManager): Promise<boolean> {
    const [connected] = await this.db(tx).query(`SELECT 1 FROM strava_connections WHERE user_id = $1`, [userId]);
    return !!connected;
  }

  /** Those of `userIds` that have a connection. */
  async connectedAmong(userIds: readonly string[], tx?: EntityManager): Promise<string[]> {
    const rows: { user_id: string }[] = await this.db(tx).query(`SELECT user_id FROM strava_connections WHERE user_id = ANY($1)`, [
      userIds,
    ]);
    return rows.map((row) => row.user_id);
  }

  /** Users whose history import finished, by id: the ones the daily reconciliation checks. */
  async backfilledUserIds(): Promise<string[]> {
    const rows: { user_id: string }[] = await this.db().query(
      `SELECT user_id FROM strava_connections WHERE backfilled_at IS NOT NULL ORDER BY user_id`,
    );
    return rows.map((row) => row.user_id);
  }

  async markBackfilled(id: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(StravaConnectionEntity, { id }, { backfilledAt: new Date() });
  }

  /** Deletes the user's connection; its id, or null when there was none. */
  async removeOfUser(userId: string, tx?: EntityManager): Promise<{ id: string } | null> {
    const [rows]: [{ id: string }[], number] = await this.db(tx).query(`DELETE FROM strava_connections WHERE user_id = $1 RETURNING id`, [
      userId,
    ]);
    return rows?.length ? rows[0] : null;
  }

  /** The user's connection, row-locked until the caller's transaction ends (an account merge moves it). */
  async lockOfUser(userId: string, tx: EntityManager): Promise<LockedConnection | undefined> {
    const [row]: { id: string; access_token_enc: string; refresh_token_enc: string; backfilled_at: Date | null }[] = await tx.query(
      `SELECT id, access_token_enc, refresh_token_enc, backfilled_at FROM strava_connections WHERE user_id = $1 FOR UPDATE`,
      [userId],
    );
    return (
      row && { id: row.id, accessTokenEnc: row.access_token_enc, refreshTokenEnc: row.refresh_token_enc, backfilledAt: row.backfilled_at }
    );
  }

  /** Gives the connection to another user, with its tokens sealed again for them. */
  async moveToUser(
    id: string,
    userId: string,
    tokens: Pick<SealedStravaTokens, 'accessTokenEnc' | 'refreshTokenEnc'>,
    tx: EntityManager,
  ): Promise<void> {
    await tx.query(
      `UPDATE strava_connections SET user_id = $2, access_token_enc = $3, refresh_token_enc = $4, updated_at = now() WHERE id = $1`,
      [id, userId, tokens.accessTokenEnc, tokens.refreshTokenEnc],
    );
  }
}
