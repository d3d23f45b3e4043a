import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { SessionEntity } from '../entities/session.entity';
import { TableRepository } from './table-repository';

export type NewSession = Pick<SessionEntity, 'tokenHash' | 'userId' | 'userAgent' | 'expiresAt' | 'lastSeenAt'>;

/** Signed-in browsers: sessions, found by the hash of their cookie's token. */
@Injectable()
export class SessionsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  async create(session: NewSession): Promise<void> {
    await this.db().insert(SessionEntity, session);
  }

  /** The session of this token hash, unless it expired by `now`. */
  unexpiredByTokenHash(tokenHash: string, now: Date): Promise<SessionEntity | null> {
    return this.db().findOneBy(SessionEntity, { tokenHash, expiresAt: MoreThan(now) });
  }

  async touch(sessionId: string, seenAt: Date): Promise<void> {
    await this.db().update(SessionEntity, { id: sessionId }, { lastSeenAt: seenAt });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db().delete(SessionEntity, { tokenHash });
  }

  /** Ends every session of the user but `keepSessionId` (all of them without one). */
  async endOthers(userId: string, keepSessionId: string | undefined, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(`DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2`, [userId, keepSessionId ?? null]);
  }

  /** Deletes sessions expired before `now`; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const [, affected] = await this.db().query(`DELETE FROM sessions WHERE expires_at < $1`, [now]);
    return affected ?? 0;
  }
}
