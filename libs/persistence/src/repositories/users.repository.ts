import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Role } from '@deload/domain';
import { UserEntity } from '../entities/user.entity';
import { TableRepository } from './table-repository';

/** Columns a caller may change on a user (ids and timestamps are the database's). */
export type UserChanges = Partial<Omit<UserEntity, 'id' | 'createdAt' | 'updatedAt'>>;

/** What may be given when an account is created by its first sign-in. */
export type NewUserDefaults = Partial<Pick<UserEntity, 'role' | 'displayName' | 'timezone' | 'units'>>;

/** The weekly emails, as email_deliveries.kind names them. */
export type WeeklyEmailKind = 'weekly-summary' | 'coach-digest';

/** Who gets each weekly email at all (the switch in their settings, and their role). */
const WEEKLY_EMAIL_AUDIENCE: Record<WeeklyEmailKind, string> = {
  'weekly-summary': `u.email_weekly_summary AND u.role IN ('runner', 'both')`,
  'coach-digest': `u.email_coach_digest AND u.role IN ('coach', 'both') AND EXISTS (SELECT 1 FROM teams t WHERE t.coach_id = u.id)`,
};

/** Outcome of an address change that passed the link checks. */
export type EmailChangeOutcome = 'changed' | 'address-moved' | 'taken';

/** The accounts: users. */
@Injectable()
export class UsersRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  byId(id: string, tx?: EntityManager): Promise<UserEntity | null> {
    return this.db(tx).findOneBy(UserEntity, { id });
  }

  /** The user, who must exist (EntityNotFoundError otherwise). */
  byIdOrFail(id: string, tx?: EntityManager): Promise<UserEntity> {
    return this.db(tx).findOneByOrFail(UserEntity, { id });
  }

  byIds(ids: readonly string[], tx?: EntityManager): Promise<UserEntity[]> {
    return ids.length ? this.db(tx).findBy(UserEntity, { id: In([...ids]) }) : Promise.resolve([]);
  }

  /** `email` as stored: lower-case and trimmed. */
  byEmail(email: string): Promise<UserEntity | null> {
    return this.db().findOneBy(UserEntity, { email });
  }

  /** The account with this (normalised) address, created first if missing; safe when two requests race for it. */
  async findOrCreate(email: string, defaults: NewUserDefaults = {}): Promise<UserEntity> {
    await this.db()
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({ email, ...defaults })
      .orIgnore()
      .execute();
    return (await this.byEmail(email))!;
  }

  admins(): Promise<UserEntity[]> {
    return this.db().find(UserEntity, { where: { isAdmin: true }, order: { email: 'ASC' } });
  }

  async update(userId: string, changes: UserChanges, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(UserEntity, { id: userId }, changes as QueryDeepPartialEntity<UserEntity>);
  }

  /** Gives the user `role` and saves the whole entity (its updatedAt comes back fresh). */
  setRole(user: UserEntity, role: Role): Promise<UserEntity> {
    user.role = role;
    return this.db().save(user);
  }

  /**
   * Moves the account from address `from` to `to`: 'address-moved' when its address is no longer
   * `from`, 'taken' when another account has `to` (the caller's transaction is then aborted).
   */
  async changeEmail(userId: string, from: string, to: string, tx?: EntityManager): Promise<EmailChangeOutcome> {
    try {
      const [, changed] = await this.db(tx).query(`UPDATE users SET email = $1, updated_at = now() WHERE id = $2 AND email = $3`, [
        to,
        userId,
        from,
      ]);
      return changed ? 'changed' : 'address-moved';
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'taken';
      throw error;
    }
  }

  /** The runner's history is complete as of now (an import finished). */
  async markSynced(userId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(UserEntity, { id: userId }, { lastSyncedAt: new Date() });
  }

  /**
   * The runner's Strava history is in: synced now, and a runner still on the default time zone
   * takes the one of their latest run that has one.
   */
  async markHistoryImported(userId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE users SET last_synced_at = now(), updated_at = now(),
              timezone = CASE WHEN timezone = 'UTC' THEN COALESCE(
                (SELECT r.timezone FROM runs r WHERE r.user_id = $1 AND r.timezone IS NOT NULL ORDER BY r.start_utc DESC LIMIT 1), 'UTC')
              ELSE timezone END
        WHERE id = $1`,
      [userId],
    );
  }

  /** Ids of runners with a run that started at `since` or later, after `afterId` in id order, at most `limit`. */
  async runnersWhoRanSince(since: Date, afterId: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db().query(
      `SELECT u.id FROM users u
        WHERE u.id > $1 AND u.role IN ('runner', 'both')
          AND EXISTS (SELECT 1 FROM runs r WHERE r.user_id = u.id AND r.is_run AND r.start_utc >= $2)
        ORDER BY u.id LIMIT $3`,
      [afterId, since, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Who is due a weekly email of `kind` at `now`: in their time zone (UTC when the stored one is
   * unknown) it is Monday, `fromHour` or later, and the email of the ISO week that just ended there
   * (`week`, e.g. 2026-W48) was neither sent nor skipped.
   */
  dueWeeklyEmail(kind: WeeklyEmailKind, now: Date, fromHour: number): Promise<{ id: string; week: string }[]> {
    return this.db().query(
      `WITH zones AS (SELECT name FROM pg_timezone_names),
            local AS (
              SELECT u.id, ($1::timestamptz AT TIME ZONE coalesce((SELECT name FROM zones WHERE name = u.timezone), 'UTC')) AS at
                FROM users u WHERE ${WEEKLY_EMAIL_AUDIENCE[kind]})
       SELECT id, to_char(at - interval '7 days', 'IYYY-"W"IW') AS week FROM local
        WHERE extract(isodow FROM at) = 1 AND extract(hour FROM at) >= $2
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.kind = $3 AND d.status IN ('sent', 'skipped')
                            AND d.dedupe_key = local.id::text || '-' || to_char(at - interval '7 days', 'IYYY-"W"IW'))`,
      [now, fromHour, kind],
    );
  }

  /** Row locks on these users until the transaction ends, taken in id order (no deadlock between two lockers). */
  async lock(ids: readonly string[], tx: EntityManager): Promise<void> {
    await tx.query(`SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [ids]);
  }

  /** Deletes the account; its sessions, alerts and email ledger rows go with it (ON DELETE CASCADE). */
  async remove(userId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(`DELETE FROM users WHERE id = $1`, [userId]);
  }
}
