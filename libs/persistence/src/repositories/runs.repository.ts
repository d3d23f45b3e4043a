import { Injectable } from '@nestjs/common';
import { Between, DataSource, EntityManager, In } from 'typeorm';
import { RUNNING_SPORTS, type PainReportSource, type RunSource, type Split } from '@deload/domain';
import { RunEntity } from '../entities/run.entity';
import { RunSourceEntity } from '../entities/run-source.entity';
import { RUN_LOCAL_DATE, RUNNER_DATA_SQL, seenOutsideStrava } from './runner-data-sql';
import { TableRepository } from './table-repository';

/** SQL on `u` (users): the runner wants check-ins — `on`, or `auto` once they have ever reported pain. */
const WANTS_CHECKINS = `(u.pain_checkin = 'on' OR (u.pain_checkin = 'auto' AND EXISTS (SELECT 1 FROM pain_reports ever WHERE ever.user_id = u.id AND ever.has_pain)))`;

/** A run as a viewer may see it (RUNNER_DATA_SQL): the title only where it may be shown. */
export interface VisibleRun {
  id: string;
  userId: string;
  startUtc: Date;
  utcOffsetS: number;
  distanceM: number;
  movingS: number | null;
  name: string | null;
  source: string;
}

/** What a load summary needs of a run the viewer may see (RUNNER_DATA_SQL): no title, so no per-row lookup for it. */
export type RunDistance = Pick<VisibleRun, 'id' | 'userId' | 'startUtc' | 'distanceM'>;

/** A run's title and description as pain tags are read from them, with its runner's units and its report's source. */
export interface RunText {
  id: string;
  userId: string;
  name: string | null;
  description: string | null;
  distanceM: number;
  units: string;
  reportSource: PainReportSource | null;
}

/** Raw distance figures of a runner's week (local days) and of the weeks before it. */
export interface WeekTotals {
  runs: number;
  distanceM: number;
  longestM: number;
  movingS: number;
  previousM: number;
  previousRuns: number;
  /** node-postgres returns a `date` as a local-midnight Date. */
  firstDay: Date | string | null;
}

/** A run with the records (run_sources) that reported it. */
export interface RunWithRecords {
  id: string;
  startUtc: Date;
  distanceM: number;
  records: { source: string; externalId: string }[];
  hasPainReport: boolean;
}

/** Who a removed source leaves behind: the runs it was on, and those that went because no other source had them. */
export interface RemovedRecords {
  sourcesRemoved: number;
  runIds: string[];
  runsDeleted: number;
}

/** Which of a runner's activities a runs list shows: local dates (YYYY-MM-DD, inclusive) and a sport. */
export interface RunListFilter {
  from?: string;
  to?: string;
  sport?: string;
}

/** A run as a runs list shows it to a viewer (RUNNER_DATA_SQL): Strava's title, shoes and sources only where allowed. */
export interface RunListRow {
  id: string;
  startUtc: Date;
  utcOffsetS: number;
  /** The calendar date where it was run (its own UTC offset). */
  localDate: string;
  sport: string;
  isRun: boolean;
  notARun: boolean;
  name: string | null;
  distanceM: number;
  movingS: number | null;
  elapsedS: number | null;
  elevationGainM: number | null;
  elevationLossM: number | null;
  avgCadenceSpm: number | null;
  avgHr: number | null;
  shoeId: string | null;
  shoeName: string | null;
  /** The sources that reported it (FIT, Strava, import), sorted; Strava left out where it may not be shown. */
  sources: string[];
  /** Only a summary is known (an export row without its activity file): no splits, cadence or HR. */
  summaryOnly: boolean;
  pain: { hasPain: boolean; location: string | null; severity: number | null; onsetM: number | null; onsetS: number | null } | null;
}

/** One page of a runs list, newest first. */
export interface RunListPage {
  runs: RunListRow[];
  total: number;
}

/** A run's own page: its list row with its splits, device and the longest run of the 30 days before it. */
export interface RunDetail extends RunListRow {
  splits: Split[] | null;
  device: string | null;
  flags: string[];
  /** Longest running activity (that the viewer may see) in the 30 days before this one: what the spike rule compares with. */
  previousLongestM: number | null;
}

/** runs and run_sources: a runner's activities and the records (source, external id) that reported each. */
@Injectable()
export class RunsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Serialises, until the transaction ends, every write to one runner's runs and source data
   * (imports, Strava sync, removal of a source). Re-entrant within a transaction.
   */
  async lockRunnerData(userId: string, tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`deload:runs:${userId}`]);
  }

  async byId(id: string, tx?: EntityManager): Promise<RunEntity | null> {
    return this.db(tx).findOneBy(RunEntity, { id });
  }

  async byIdOrFail(id: string, tx?: EntityManager): Promise<RunEntity> {
    return this.db(tx).findOneByOrFail(RunEntity, { id });
  }

  /** The runner's own run, or null (also for another runner's run). */
  async ownedBy(userId: string, id: string): Promise<RunEntity | null> {
    return this.db().findOneBy(RunEntity, { id, userId });
  }

  /** How many runs (of any sport) the user has. */
  async countOf(userId: string, tx?: EntityManager): Promise<number> {
    return this.db(tx).count(RunEntity, { where: { userId } });
  }

  /** Running activities from `since` to `asOf`, oldest first (what the rules engine reads); "not a run" activities are not running ones. */
  async runsInWindow(userId: string, since: Date, asOf: Date, tx?: EntityManager): Promise<RunEntity[]> {
    return this.db(tx).find(RunEntity, { where: { userId, isRun: true, startUtc: Between(since, asOf) }, order: { startUtc: 'ASC' } });
  }

  /** Start of the runner's first run up to `asOf`. */
  async firstRunStart(userId: string, asOf: Date, tx?: EntityManager): Promise<Date | null> {
    const [first] = await this.db(tx).query(`SELECT min(start_utc) AS first FROM runs WHERE user_id = $1 AND is_run AND start_utc <= $2`, [
      userId,
      asOf,
    ]);
    return first?.first ?? null;
  }

  /** Whether any of these runs is known only from Strava. */
  async anyOnlyFromStrava(runIds: readonly string[], tx?: EntityManager): Promise<boolean> {
    if (!runIds.length) return false;
    const rows: unknown[] = await this.db(tx).query(
      `SELECT 1 FROM runs r WHERE r.id = ANY($1::uuid[]) AND NOT ${seenOutsideStrava('r')} LIMIT 1`,
      [runIds],
    );
    return rows.length > 0;
  }

  /** Every activity (any sport) of the runner starting from `from` to `to`. */
  async startingBetween(userId: string, from: Date, to: Date, tx?: EntityManager): Promise<RunEntity[]> {
    return this.db(tx)
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      .where('run.userId = :userId', { userId })
      .andWhere('run.startUtc BETWEEN :from AND :to', { from, to })
      .getMany();
  }

  /** The id of the runner's run starting exactly at `start`. */
  async idStartingAt(userId: string, start: Date): Promise<string | undefined> {
    const [stored]: { id: string }[] = await this.db().query(`SELECT id FROM runs WHERE user_id = $1 AND start_utc = $2`, [userId, start]);
    return stored?.id;
  }

  /** Whether the runner has a running activity that started after `start` (other than `runId`). */
  async hasRunAfter(userId: string, runId: string, start: Date): Promise<boolean> {
    return this.db()
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      .where('run.userId = :userId AND run.isRun AND run.id <> :id AND run.startUtc > :start', { userId, id: runId, start })
      .getExists();
  }

  async insert(run: Partial<RunEntity>, tx?: EntityManager): Promise<RunEntity> {
    const runs = this.db(tx).getRepository(RunEntity);
    return runs.save(runs.create(run));
  }

  async update(id: string, changes: Partial<RunEntity>, tx?: EntityManager): Promise<void> {
    await this.db(tx).getRepository(RunEntity).update({ id }, changes);
  }

  async recordOf(userId: string, source: RunSource, externalId: string, tx?: EntityManager): Promise<RunSourceEntity | null> {
    return this.db(tx).getRepository(RunSourceEntity).findOneBy({ userId, source, externalId });
  }

  async recordsOf(runIds: readonly string[], tx?: EntityManager): Promise<RunSourceEntity[]> {
    return this.db(tx)
      .getRepository(RunSourceEntity)
      .findBy({ runId: In([...runIds]) });
  }

  async addRecord(record: Pick<RunSourceEntity, 'runId' | 'userId' | 'source' | 'externalId'>, tx?: EntityManager): Promise<void> {
    await this.db(tx).getRepository(RunSourceEntity).insert(record);
  }

  /**
   * Forgets one source's records — all of the runner's, or only `externalIds`; a run no other
   * source has goes with them; a run that stays and was shown from this source is shown from its
   * oldest remaining record.
   */
  async removeRecords(userId: string, source: RunSource, externalIds: string[] | undefined, tx?: EntityManager): Promise<RemovedRecords> {
    const db = this.db(tx);
    const [removed]: [{ run_id: string }[], number] = await db.query(
      `DELETE FROM run_sources WHERE user_id = $1 AND source = $2 AND ($3::text[] IS NULL OR external_id = ANY($3)) RETURNING run_id`,
      [userId, source, externalIds ?? null],
    );
    const runIds = [...new Set(removed.map((row) => row.run_id))];
    const [deleted]: [{ id: string }[], number] = await db.query(
      `DELETE FROM runs WHERE id = ANY($1) AND NOT EXISTS (SELECT 1 FROM run_sources s WHERE s.run_id = runs.id) RETURNING id`,
      [runIds],
    );
    await db.query(
      `UPDATE runs SET source = s.source, external_id = s.external_id, updated_at = now()
         FROM (SELECT DISTINCT ON (run_id) run_id, source, external_id FROM run_sources WHERE run_id = ANY($1) ORDER BY run_id, created_at) s
        WHERE runs.id = s.run_id AND runs.source = $2`,
      [runIds, source],
    );
    return { sourcesRemoved: removed.length, runIds, runsDeleted: deleted.length };
  }

  /** Drops the title and description (perhaps Strava's) of the runner's Strava runs that another source has too. */
  async clearStravaTextOfSharedRuns(userId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE runs SET name = NULL, description = NULL, updated_at = now()
        WHERE user_id = $1 AND id IN (SELECT run_id FROM run_sources WHERE user_id = $1 AND source = 'strava')
          AND EXISTS (SELECT 1 FROM run_sources other WHERE other.run_id = runs.id AND other.source <> 'strava')`,
      [userId],
    );
  }

  /** Whether the runner has a run from this Strava activity. */
  async hasStravaActivity(userId: string, activityId: string): Promise<boolean> {
    const rows: unknown[] = await this.db().query(
      `SELECT 1 FROM run_sources WHERE user_id = $1 AND source = 'strava' AND external_id = $2 LIMIT 1`,
      [userId, activityId],
    );
    return rows.length > 0;
  }

  /** Which of these Strava activities the runner has a run from. */
  async storedStravaActivities(userId: string, activityIds: readonly string[]): Promise<string[]> {
    const rows: { external_id: string }[] = await this.db().query(
      `SELECT external_id FROM run_sources WHERE user_id = $1 AND source = 'strava' AND external_id = ANY($2)`,
      [userId, activityIds],
    );
    return rows.map((row) => row.external_id);
  }

  /**
   * Which of these Strava activities are stored, deleted by the runner (deleted_run_records), or waiting in the webhook inbox (pending events of
   * `provider` about an activity of athlete `athleteId`); one statement, so an activity moving from
   * the inbox to the runs meanwhile is seen in one place or the other.
   */
  async stravaActivitiesStoredOrPending(
    userId: string,
    athleteId: string,
    activityIds: readonly string[],
    provider: string,
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.db().query(
      `SELECT external_id AS id FROM run_sources WHERE user_id = $1 AND source = 'strava' AND external_id = ANY($2)
       UNION
       SELECT external_id FROM deleted_run_records WHERE user_id = $1 AND source = 'strava' AND external_id = ANY($2)
       UNION
       SELECT payload->>'object_id' FROM webhook_events
        WHERE provider = $3 AND status = 'pending' AND payload->>'object_type' = 'activity'
          AND payload->>'owner_id' = $4 AND payload->>'object_id' = ANY($2)`,
      [userId, activityIds, provider, athleteId],
    );
    return rows.map((row) => row.id);
  }

  /** Title, description and distance of these running activities, for reading pain tags. */
  async textsForPainTags(runIds: readonly string[], tx?: EntityManager): Promise<RunText[]> {
    const rows: {
      id: string;
      user_id: string;
      name: string | null;
      description: string | null;
      distance_m: number;
      units: string;
      report_source: PainReportSource | null;
    }[] = await this.db(tx).query(
      `SELECT r.id, r.user_id, r.name, r.description, r.distance_m, u.units, p.source AS report_source
         FROM runs r JOIN users u ON u.id = r.user_id LEFT JOIN pain_reports p ON p.run_id = r.id
        WHERE r.id = ANY($1::uuid[]) AND r.is_run`,
      [runIds],
    );
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      name: row.name,
      description: row.description,
      distanceM: row.distance_m,
      units: row.units,
      reportSource: row.report_source,
    }));
  }

  /** Among these runs, the running activities started after `startedAfter` whose runner wants check-ins. */
  async checkInCandidates(runIds: readonly string[], startedAfter: Date, tx?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.db(tx).query(
      `SELECT r.id FROM runs r JOIN users u ON u.id = r.user_id
        WHERE r.id = ANY($1::uuid[]) AND r.is_run AND r.start_utc > $2 AND ${WANTS_CHECKINS}`,
      [runIds, startedAfter],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Running activities started after `startedAfter` and stored before `storedBefore`, whose runner
   * wants check-ins, with neither a pain report nor a check-in email (sent or
   * decided against): at most 500.
   */
  async missingCheckIns(startedAfter: Date, storedBefore: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db().query(
      `SELECT r.id FROM runs r JOIN users u ON u.id = r.user_id
        WHERE r.is_run AND r.start_utc > $1 AND r.created_at < $2 AND ${WANTS_CHECKINS}
          AND NOT EXISTS (SELECT 1 FROM pain_reports p WHERE p.run_id = r.id)
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.kind = 'pain-checkin' AND d.dedupe_key = r.id::text)
        LIMIT 500`,
      [startedAfter, storedBefore],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Running activities of these runners since `since`, oldest first, as the viewer may see them:
   * Strava's data only of the runners in `withStrava`.
   */
  async visibleSince(runnerIds: readonly string[], withStrava: readonly string[], since: Date): Promise<VisibleRun[]> {
    const allowed = `r.user_id = ANY($2::uuid[])`;
    return this.db().query(
      `SELECT r.id, r.user_id AS "userId", r.start_utc AS "startUtc", r.utc_offset_s AS "utcOffsetS", r.distance_m AS "distanceM", r.moving_s AS "movingS",
              ${RUNNER_DATA_SQL.runTitle('r', allowed)} AS name, r.source
         FROM runs r
        WHERE r.user_id = ANY($1::uuid[]) AND r.is_run AND r.start_utc >= $3 AND ${RUNNER_DATA_SQL.runVisible('r', allowed)}
        ORDER BY r.start_utc`,
      [runnerIds, withStrava, since],
    );
  }

  /** As visibleSince, but only what a load summary reads (the team page decodes tens of thousands of these). */
  async distancesSince(runnerIds: readonly string[], withStrava: readonly string[], since: Date): Promise<RunDistance[]> {
    return this.db().query(
      `SELECT r.id, r.user_id AS "userId", r.start_utc AS "startUtc", r.distance_m AS "distanceM"
         FROM runs r
        WHERE r.user_id = ANY($1::uuid[]) AND r.is_run AND r.start_utc >= $3 AND ${RUNNER_DATA_SQL.runVisible('r', 'r.user_id = ANY($2::uuid[])')}
        ORDER BY r.start_utc`,
      [runnerIds, withStrava, since],
    );
  }

  /**
   * Totals of a runner's running activities on the local days `monday`..`sunday` and on the days
   * `from`..`monday` before, counting Strava-only runs only when `includeStrava`; with the local day
   * of their first run.
   */
  async weekTotals(userId: string, from: string, monday: string, sunday: string, includeStrava: boolean): Promise<WeekTotals> {
    const visible = RUNNER_DATA_SQL.runVisible('r', String(includeStrava));
    const [row] = await this.db().query(
      `SELECT
          count(*) FILTER (WHERE d >= $3::date)::int AS runs,
          coalesce(sum(distance_m) FILTER (WHERE d >= $3::date), 0)::float AS distance_m,
          coalesce(max(distance_m) FILTER (WHERE d >= $3::date), 0)::float AS longest_m,
          coalesce(sum(moving_s) FILTER (WHERE d >= $3::date), 0)::float AS moving_s,
          coalesce(sum(distance_m) FILTER (WHERE d < $3::date), 0)::float AS previous_m,
          count(*) FILTER (WHERE d < $3::date)::int AS previous_runs,
          (SELECT min(${RUN_LOCAL_DATE}) FROM runs r WHERE r.user_id = $1 AND r.is_run AND ${visible}) AS first_day
         FROM (SELECT ${RUN_LOCAL_DATE} AS d, r.distance_m, r.moving_s FROM runs r
                WHERE r.user_id = $1 AND r.is_run AND ${visible}
                  AND r.start_utc BETWEEN ($2::date - 1) AND ($4::date + 2)) runs
        WHERE d BETWEEN $2::date AND $4::date`,
      [userId, from, monday, sunday],
    );
    return {
      runs: row.runs,
      distanceM: row.distance_m,
      longestM: row.longest_m,
      movingS: row.moving_s,
      previousM: row.previous_m,
      previousRuns: row.previous_runs,
      firstDay: row.first_day,
    };
  }

  /** Every run of the runner, oldest first, with its records and whether it has a pain report. */
  async withRecordsOf(userId: string, tx?: EntityManager): Promise<RunWithRecords[]> {
    const rows: {
      id: string;
      start_utc: Date;
      distance_m: number;
      sources: { source: string; external_id: string }[];
      has_pain: boolean;
    }[] = await this.db(tx).query(
      `SELECT r.id, r.start_utc, r.distance_m,
              coalesce(json_agg(json_build_object('source', s.source, 'external_id', s.external_id)) FILTER (WHERE s.id IS NOT NULL), '[]') AS sources,
              EXISTS (SELECT 1 FROM pain_reports p WHERE p.run_id = r.id) AS has_pain
         FROM runs r LEFT JOIN run_sources s ON s.run_id = r.id
        WHERE r.user_id = $1 GROUP BY r.id ORDER BY r.start_utc`,
      [userId],
    );
    return rows.map((row) => ({
      id: row.id,
      startUtc: row.start_utc,
      distanceM: row.distance_m,
      records: row.sources.map((s) => ({ source: s.source, externalId: s.external_id })),
      hasPainReport: row.has_pain,
    }));
  }

  /** The runner's run that any of these records reported. */
  async runIdOfAnyRecord(
    userId: string,
    records: readonly { source: string; externalId: string }[],
    tx?: EntityManager,
  ): Promise<string | undefined> {
    const rows: { run_id: string }[] = await this.db(tx).query(
      `SELECT run_id FROM run_sources
        WHERE user_id = $1 AND (source, external_id) IN (SELECT * FROM unnest($2::text[], $3::text[])) LIMIT 1`,
      [userId, records.map((s) => s.source), records.map((s) => s.externalId)],
    );
    return rows[0]?.run_id;
  }

  /** The runner's runs with at least one record starting from `from` to `to`, with the sources of their records. */
  async recordedBetween(
    userId: string,
    from: Date,
    to: Date,
    tx?: EntityManager,
  ): Promise<(Pick<RunEntity, 'id' | 'startUtc' | 'distanceM'> & { sources: string[] })[]> {
    const rows: { id: string; start_utc: Date; distance_m: number; sources: string[] }[] = await this.db(tx).query(
      `SELECT r.id, r.start_utc, r.distance_m, array_agg(s.source) AS sources
         FROM runs r JOIN run_sources s ON s.run_id = r.id
        WHERE r.user_id = $1 AND r.start_utc BETWEEN $2 AND $3 GROUP BY r.id`,
      [userId, from, to],
    );
    return rows.map((row) => ({ id: row.id, startUtc: row.start_utc, distanceM: row.distance_m, sources: row.sources }));
  }

  /** The records of run `fromRunId` move to `toRunId` of `userId`, except those that runner already has. */
  async moveRecords(fromRunId: string, toRunId: string, userId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE run_sources s SET run_id = $2, user_id = $3
        WHERE s.run_id = $1
          AND NOT EXISTS (SELECT 1 FROM run_sources t WHERE t.user_id = $3 AND t.source = s.source AND t.external_id = s.external_id)`,
      [fromRunId, toRunId, userId],
    );
  }

  async delete(id: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(`DELETE FROM runs WHERE id = $1`, [id]);
  }

  /** Runs on a shoe of `sourceId` that `targetId` has too (same source and id) are put on the target's. */
  async useTargetShoes(sourceId: string, targetId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE runs SET shoe_id = t.id
         FROM shoes s JOIN shoes t ON t.user_id = $2 AND t.source = s.source AND t.external_id = s.external_id
        WHERE s.user_id = $1 AND runs.shoe_id = s.id`,
      [sourceId, targetId],
    );
  }

  /** Every run and record of `sourceId` becomes `targetId`'s. */
  async moveToUser(sourceId: string, targetId: string, tx?: EntityManager): Promise<void> {
    for (const table of ['runs', 'run_sources']) {
      await this.db(tx).query(`UPDATE ${table} SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
    }
  }
  /**
   * One page of the runner's activities, newest first, as the viewer may see them (`includeStrava`:
   * the viewer may see their Strava data), filtered by local date and sport.
   */
  async listPage(
    userId: string,
    includeStrava: boolean,
    filter: RunListFilter,
    page: { offset: number; limit: number },
  ): Promise<RunListPage> {
    const rows: (RunListRow & { total: number })[] = await this.db().query(
      `${listSelect(String(includeStrava))}
        WHERE r.user_id = $1 AND ${RUNNER_DATA_SQL.runVisible('r', String(includeStrava))}
          AND ($2::date IS NULL OR ${RUN_LOCAL_DATE} >= $2::date) AND ($3::date IS NULL OR ${RUN_LOCAL_DATE} <= $3::date)
          AND ($4::text IS NULL OR r.sport = $4)
        ORDER BY r.start_utc DESC, r.id DESC OFFSET $5 LIMIT $6`,
      [userId, filter.from ?? null, filter.to ?? null, filter.sport ?? null, page.offset, page.limit],
    );
    const total = rows[0]?.total ?? (page.offset > 0 ? await this.countVisible(userId, includeStrava, filter) : 0);
    return { runs: rows.map(({ total: _total, ...run }) => run), total };
  }

  private async countVisible(userId: string, includeStrava: boolean, filter: RunListFilter): Promise<number> {
    const [row]: { count: number }[] = await this.db().query(
      `SELECT count(*)::int AS count FROM runs r
        WHERE r.user_id = $1 AND ${RUNNER_DATA_SQL.runVisible('r', String(includeStrava))}
          AND ($2::date IS NULL OR ${RUN_LOCAL_DATE} >= $2::date) AND ($3::date IS NULL OR ${RUN_LOCAL_DATE} <= $3::date)
          AND ($4::text IS NULL OR r.sport = $4)`,
      [userId, filter.from ?? null, filter.to ?? null, filter.sport ?? null],
    );
    return row.count;
  }

  /** One of the runner's activities as the viewer may see it, or null (another runner's, unknown, or not the viewer's to see). */
  async detailOf(userId: string, runId: string, includeStrava: boolean): Promise<RunDetail | null> {
    const allowed = String(includeStrava);
    const [row]: (RunDetail & { total: number })[] = await this.db().query(
      `${listSelect(
        allowed,
        `, r.splits, r.device, r.flags,
              (SELECT max(b.distance_m) FROM runs b
                WHERE b.user_id = r.user_id AND b.is_run AND b.id <> r.id AND ${RUNNER_DATA_SQL.runVisible('b', allowed)}
                  AND b.start_utc >= r.start_utc - interval '30 days' AND b.start_utc < r.start_utc) AS "previousLongestM"`,
      )}
        WHERE r.user_id = $1 AND r.id = $2 AND ${RUNNER_DATA_SQL.runVisible('r', allowed)}`,
      [userId, runId],
    );
    if (!row) return null;
    const { total: _total, ...detail } = row;
    return detail;
  }

  /**
   * Marks the runner's activity "not a run" (no running load) or takes that back (a running sport
   * counts again). False when the runner has no such run.
   */
  async markNotARun(userId: string, runId: string, notARun: boolean, tx?: EntityManager): Promise<boolean> {
    const [, updated]: [unknown, number] = await this.db(tx).query(
      `UPDATE runs SET not_a_run = $3, is_run = (NOT $3 AND sport = ANY($4::text[])), updated_at = now() WHERE user_id = $1 AND id = $2`,
      [userId, runId, notARun, RUNNING_SPORTS],
    );
    return updated > 0;
  }

  /** Which of these ids are runs of the runner. */
  async ownedAmong(userId: string, runIds: readonly string[], tx?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.db(tx).query(`SELECT id FROM runs WHERE user_id = $1 AND id = ANY($2::uuid[])`, [
      userId,
      runIds,
    ]);
    return rows.map((row) => row.id);
  }

  /** Puts these runs of the runner on `shoeId` (or on none); the ids of the runs changed (other runners' are left alone). */
  async assignShoe(userId: string, runIds: readonly string[], shoeId: string | null, tx?: EntityManager): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await this.db(tx).query(
      `UPDATE runs SET shoe_id = $3, updated_at = now() WHERE user_id = $1 AND id = ANY($2::uuid[]) RETURNING id`,
      [userId, runIds, shoeId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the runner's run with its records and pain report; its Strava activities are kept in
   * deleted_run_records so the Strava sync does not bring it back. False when the runner has no such run.
   */
  async deleteOwn(userId: string, runId: string, tx?: EntityManager): Promise<boolean> {
    const db = this.db(tx);
    await db.query(
      `INSERT INTO deleted_run_records (user_id, source, external_id)
       SELECT s.user_id, s.source, s.external_id FROM run_sources s JOIN runs r ON r.id = s.run_id
        WHERE r.id = $2 AND r.user_id = $1 AND s.source = 'strava'
       ON CONFLICT DO NOTHING`,
      [userId, runId],
    );
    const [, deleted]: [unknown, number] = await db.query(`DELETE FROM runs WHERE user_id = $1 AND id = $2`, [userId, runId]);
    return deleted > 0;
  }

  /** Which of these Strava activities the runner deleted a run of (the sync skips them). */
  async deletedStravaActivities(userId: string, activityIds: readonly string[], tx?: EntityManager): Promise<string[]> {
    if (!activityIds.length) return [];
    const rows: { external_id: string }[] = await this.db(tx).query(
      `SELECT external_id FROM deleted_run_records WHERE user_id = $1 AND source = 'strava' AND external_id = ANY($2::text[])`,
      [userId, activityIds],
    );
    return rows.map((row) => row.external_id);
  }
}

/**
 * The SELECT … FROM of a runs list (alias `r`), as the viewer may see it (`allowed`: an SQL boolean,
 * see RUNNER_DATA_SQL), with `extra` columns; `total` counts the rows the WHERE picks.
 */
function listSelect(allowed: string, extra = ''): string {
  return `SELECT r.id, r.start_utc AS "startUtc", r.utc_offset_s AS "utcOffsetS", to_char(${RUN_LOCAL_DATE}, 'YYYY-MM-DD') AS "localDate",
          r.sport, r.is_run AS "isRun", r.not_a_run AS "notARun", ${RUNNER_DATA_SQL.runTitle('r', allowed)} AS name,
          r.distance_m AS "distanceM", r.moving_s AS "movingS", r.elapsed_s AS "elapsedS",
          r.elevation_gain_m AS "elevationGainM", r.elevation_loss_m AS "elevationLossM",
          r.avg_cadence_spm AS "avgCadenceSpm", r.avg_hr AS "avgHr",
          sh.id AS "shoeId", sh.name AS "shoeName",
          coalesce((SELECT array_agg(DISTINCT s.source) FROM run_sources s WHERE s.run_id = r.id AND (${allowed} OR s.source <> 'strava')), '{}') AS sources,
          ('summary_only' = ANY(r.flags) OR 'no_activity_file' = ANY(r.flags)) AS "summaryOnly",
          (SELECT json_build_object('hasPain', p.has_pain, 'location', p.location, 'severity', p.severity, 'onsetM', p.onset_m, 'onsetS', p.onset_s)
             FROM pain_reports p WHERE p.run_id = r.id AND ${RUNNER_DATA_SQL.painReportVisible('p', allowed)} LIMIT 1) AS pain,
          count(*) OVER ()::int AS total${extra}
     FROM runs r LEFT JOIN shoes sh ON sh.id = r.shoe_id AND ${RUNNER_DATA_SQL.shoeVisible('sh', allowed)}`;
}
