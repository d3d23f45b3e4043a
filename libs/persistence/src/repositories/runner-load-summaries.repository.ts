import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TableRepository } from './table-repository';

/** The session advisory lock of the warm-up across local midnights (one process at a time). */
const WARM_LOCK = 'deload:load-summaries-warm';

/** Which summary: a runner's, over all their runs or only those not Strava-only (RUNNER_DATA_SQL). */
export interface LoadSummaryKey {
  userId: string;
  includeStrava: boolean;
}

/** A stored summary with what it was computed from (migration 1796320185500). */
export interface StoredLoadSummary<T = unknown> {
  /** The version it was computed at (runner_load_versions when the runs were read). */
  version: string;
  timezone: string;
  syncedThrough: Date | null;
  /** It holds for `now` in [validFrom, validUntil). */
  validFrom: Date;
  validUntil: Date;
  summary: T;
}

/** A summary as stored, or none; with the runner's current version (runs change it, in their own statement). */
export interface LoadSummaryLookup<T = unknown> extends LoadSummaryKey {
  currentVersion: string;
  stored: StoredLoadSummary<T> | null;
}

export type LoadSummaryToStore<T = unknown> = LoadSummaryKey & StoredLoadSummary<T>;

/** A runner with a stored summary that no longer holds for a new local day: what refreshing it needs. */
export interface StaleLoadSummaryRunner {
  userId: string;
  timezone: string;
  syncedThrough: Date | null;
}

/**
 * Precomputed load summaries (the coach's team page). Triggers on runs and run_sources bump a
 * runner's version in the writing transaction; a summary is only good while its version is the
 * current one, so callers read the version before the runs they compute from.
 */
@Injectable()
export class RunnerLoadSummariesRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** The stored summaries of these keys, in their order, with each runner's current version (one query). */
  async lookup<T>(keys: readonly LoadSummaryKey[], tx?: EntityManager): Promise<LoadSummaryLookup<T>[]> {
    if (!keys.length) return [];
    const rows: {
      userId: string;
      includeStrava: boolean;
      currentVersion: string;
      version: string | null;
      timezone: string | null;
      syncedThrough: Date | null;
      validFrom: Date | null;
      validUntil: Date | null;
      summary: T | null;
    }[] = await this.db(tx).query(
      `SELECT k.user_id AS "userId", k.include_strava AS "includeStrava", coalesce(v.version, 0)::text AS "currentVersion",
              s.version::text AS version, s.timezone, s.synced_through AS "syncedThrough",
              s.valid_from AS "validFrom", s.valid_until AS "validUntil", s.summary
         FROM unnest($1::uuid[], $2::boolean[]) WITH ORDINALITY AS k (user_id, include_strava, position)
         LEFT JOIN runner_load_versions v ON v.user_id = k.user_id
         LEFT JOIN runner_load_summaries s ON s.user_id = k.user_id AND s.include_strava = k.include_strava
        ORDER BY k.position`,
      [keys.map((key) => key.userId), keys.map((key) => key.includeStrava)],
    );
    return rows.map(({ userId, includeStrava, currentVersion, version, timezone, syncedThrough, validFrom, validUntil, summary }) => ({
      userId,
      includeStrava,
      currentVersion,
      stored:
        version === null
          ? null
          : { version, timezone: timezone!, syncedThrough, validFrom: validFrom!, validUntil: validUntil!, summary: summary as T },
    }));
  }

  /**
   * Runners with a stored summary (either viewer kind) whose local day is over at `now`: its span
   * ends at the latest at the next midnight of the zone it was computed in, so `valid_until <= now`
   * is a stored day older than the runner's current local day (or a run inside it has started
   * since); a summary computed in another zone than the runner's current one is stale too.
   * Ordered by id, after `after` (keyset paging: each pass sees every runner once), at most `limit`.
   */
  async staleAt(now: Date, after: string | null, limit: number, tx?: EntityManager): Promise<StaleLoadSummaryRunner[]> {
    return this.db(tx).query(
      `SELECT u.id AS "userId", u.timezone, u.last_synced_at AS "syncedThrough"
         FROM users u
        WHERE ($2::uuid IS NULL OR u.id > $2::uuid)
          AND EXISTS (SELECT 1 FROM runner_load_summaries s
                       WHERE s.user_id = u.id AND (s.valid_until <= $1::timestamptz OR s.timezone <> u.timezone))
        ORDER BY u.id
        LIMIT $3`,
      [now.toISOString(), after, limit],
    );
  }

  /**
   * Runs `work` while holding the warm-up's session advisory lock, or returns null at once when
   * another process holds it (several workers' crons: one warms, the others skip that round).
   */
  async whileWarming<T>(work: () => Promise<T>): Promise<T | null> {
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }]: { locked: boolean }[] = await session.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [
        WARM_LOCK,
      ]);
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await session.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [WARM_LOCK]);
      }
    } finally {
      await session.release();
    }
  }

  /** Stores summaries (one statement); an older version never replaces a newer one. */
  async store<T>(entries: readonly LoadSummaryToStore<T>[], tx?: EntityManager): Promise<void> {
    if (!entries.length) return;
    await this.db(tx).query(
      `INSERT INTO runner_load_summaries AS s (user_id, include_strava, version, timezone, synced_through, valid_from, valid_until, summary)
       SELECT e.user_id, e.include_strava, e.version, e.timezone, e.synced_through, e.valid_from, e.valid_until, e.summary
         FROM json_to_recordset($1::json) AS e (user_id uuid, include_strava boolean, version bigint, timezone text,
              synced_through timestamptz, valid_from timestamptz, valid_until timestamptz, summary json)
         JOIN users u ON u.id = e.user_id
       ON CONFLICT (user_id, include_strava) DO UPDATE
         SET version = excluded.version, timezone = excluded.timezone, synced_through = excluded.synced_through,
             valid_from = excluded.valid_from, valid_until = excluded.valid_until, summary = excluded.summary, computed_at = now()
         WHERE s.version <= excluded.version`,
      [
        JSON.stringify(
          entries.map((entry) => ({
            user_id: entry.userId,
            include_strava: entry.includeStrava,
            version: entry.version,
            timezone: entry.timezone,
            synced_through: entry.syncedThrough?.toISOString() ?? null,
            valid_from: entry.validFrom.toISOString(),
            valid_until: entry.validUntil.toISOString(),
            summary: entry.summary,
          })),
        ),
      ],
    );
  }
}
