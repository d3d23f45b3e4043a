import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { PainLocation, PainReportSource, PainSide } from '@deload/domain';
import { PainReportEntity } from '../entities/pain-report.entity';
import { RUN_LOCAL_DATE, RUNNER_DATA_SQL } from './runner-data-sql';
import { TableRepository } from './table-repository';

/** What a report says, as it is written (one report per run). */
export interface PainReportFields {
  userId: string;
  runId: string;
  hasPain: boolean;
  location: PainLocation | null;
  side: PainSide | null;
  onsetM: number | null;
  onsetS: number | null;
  severity: number | null;
  source: PainReportSource;
  note: string | null;
}

/** A report on a run of the week, by the run's local day. */
export interface WeekPainLine {
  /** node-postgres returns a `date` as a local-midnight Date. */
  day: Date | string;
  hasPain: boolean;
  location: PainLocation | null;
  onsetM: number | null;
  onsetS: number | null;
}

/** A pain report with its run's start, as a viewer's query picks it (RUNNER_DATA_SQL.painReportVisible). */
export interface PainReportOnRun {
  userId: string;
  runId: string;
  startUtc: Date;
  hasPain: boolean;
  location: PainLocation | null;
  onsetM: number | null;
  onsetS: number | null;
  severity: number | null;
  source: PainReportSource;
  note: string | null;
  /** When the runner made the report. */
  reportedAt: Date;
  /** The report's run is only known from Strava. */
  stravaOnlyRun: boolean;
}

/** pain_reports: what runners said (or wrote in a run's text) about pain on a run. */
@Injectable()
export class PainReportsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  async forRun(userId: string, runId: string): Promise<PainReportEntity | null> {
    return this.db().findOneBy(PainReportEntity, { userId, runId });
  }

  /** The runner's reports on these runs. */
  async onRuns(userId: string, runIds: readonly string[], tx?: EntityManager): Promise<PainReportEntity[]> {
    if (!runIds.length) return [];
    return this.db(tx).find(PainReportEntity, { where: { userId, runId: In([...runIds]) } });
  }

  async hasEverReportedPain(userId: string): Promise<boolean> {
    return this.db().existsBy(PainReportEntity, { userId, hasPain: true });
  }

  /** The runner's latest report of pain. */
  async latestPainful(userId: string): Promise<PainReportEntity | null> {
    return this.db().findOne(PainReportEntity, { where: { userId, hasPain: true }, order: { createdAt: 'DESC' } });
  }

  /**
   * Writes the run's report (pain_reports_one_per_run). With `onlyOverTags` it writes only over a
   * report read from a tag, and only when something differs. Returns null when nothing was written.
   */
  async upsert(report: PainReportFields, onlyOverTags: boolean, tx?: EntityManager): Promise<PainReportEntity | null> {
    const db = this.db(tx);
    const condition = onlyOverTags
      ? `WHERE pain_reports.source = 'strava_tag' AND (pain_reports.has_pain, pain_reports.location, pain_reports.side, pain_reports.onset_m,
           pain_reports.onset_s, pain_reports.severity, pain_reports.note) IS DISTINCT FROM
           (EXCLUDED.has_pain, EXCLUDED.location, EXCLUDED.side, EXCLUDED.onset_m, EXCLUDED.onset_s, EXCLUDED.severity, EXCLUDED.note)`
      : '';
    const rows: { id: string }[] = await db.query(
      `INSERT INTO pain_reports (user_id, run_id, has_pain, location, side, onset_m, onset_s, severity, source, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (run_id) DO UPDATE SET has_pain = EXCLUDED.has_pain, location = EXCLUDED.location, side = EXCLUDED.side,
         onset_m = EXCLUDED.onset_m, onset_s = EXCLUDED.onset_s, severity = EXCLUDED.severity, source = EXCLUDED.source,
         note = EXCLUDED.note, updated_at = now()
       ${condition}
       RETURNING id`,
      [
        report.userId,
        report.runId,
        report.hasPain,
        report.location,
        report.side,
        report.onsetM,
        report.onsetS,
        report.severity,
        report.source,
        report.note,
      ],
    );
    if (!rows.length) return null;
    return db.findOneByOrFail(PainReportEntity, { id: rows[0].id });
  }

  /** Removes the run's report read from a tag; whether there was one. */
  async deleteTagReport(runId: string, tx?: EntityManager): Promise<boolean> {
    // A DELETE answers [rows, count].
    const [removed]: [unknown[], number] = await this.db(tx).query(
      `DELETE FROM pain_reports WHERE run_id = $1 AND source = 'strava_tag' RETURNING id`,
      [runId],
    );
    return removed.length > 0;
  }

  /** Removes every report the runner's Strava descriptions gave; returns how many. */
  async deleteStravaTags(userId: string, tx?: EntityManager): Promise<number> {
    const [, deleted] = await this.db(tx).query(`DELETE FROM pain_reports WHERE user_id = $1 AND source = 'strava_tag'`, [userId]);
    return Number(deleted ?? 0);
  }

  /** The reports on the runner's runs of local days `monday`..`sunday`, in the order of the runs. */
  async linesOfWeek(userId: string, monday: string, sunday: string): Promise<WeekPainLine[]> {
    return this.db().query(
      `SELECT ${RUN_LOCAL_DATE} AS day, p.has_pain AS "hasPain", p.location, p.onset_m AS "onsetM", p.onset_s AS "onsetS"
         FROM pain_reports p JOIN runs r ON r.id = p.run_id
        WHERE p.user_id = $1 AND ${RUN_LOCAL_DATE} BETWEEN $2::date AND $3::date
        ORDER BY r.start_utc`,
      [userId, monday, sunday],
    );
  }

  /** How many runs of local days `monday`..`sunday` the runner reported pain on (reports from Strava only when `includeStrava`). */
  async painfulRunsInWeek(userId: string, monday: string, sunday: string, includeStrava: boolean): Promise<number> {
    const [pain] = await this.db().query(
      `SELECT count(*) FILTER (WHERE p.has_pain)::int AS painful FROM pain_reports p JOIN runs r ON r.id = p.run_id
        WHERE p.user_id = $1 AND ${RUN_LOCAL_DATE} BETWEEN $2::date AND $3::date
          AND ${RUNNER_DATA_SQL.painReportVisible('p', String(includeStrava))}`,
      [userId, monday, sunday],
    );
    return pain.painful;
  }

  /** Reports of these runners on runs since `since`, oldest run first; Strava's only of the runners in `withStrava`. */
  async visibleSince(runnerIds: readonly string[], withStrava: readonly string[], since: Date): Promise<PainReportOnRun[]> {
    return this.db().query(
      `SELECT p.user_id AS "userId", p.run_id AS "runId", r.start_utc AS "startUtc", p.has_pain AS "hasPain", p.location,
              p.onset_m AS "onsetM", p.onset_s AS "onsetS", p.severity, p.source, p.note,
              p.created_at AS "reportedAt", ${RUNNER_DATA_SQL.stravaOnlyRun('r')} AS "stravaOnlyRun"
         FROM pain_reports p JOIN runs r ON r.id = p.run_id
        WHERE p.user_id = ANY($1::uuid[]) AND r.start_utc >= $3 AND ${RUNNER_DATA_SQL.painReportVisible('p', 'p.user_id = ANY($2::uuid[])')}
        ORDER BY r.start_utc`,
      [runnerIds, withStrava, since],
    );
  }

  /** The report on run `fromRunId` moves to `toRunId` of `userId`, unless that run has one. */
  async moveToRun(fromRunId: string, toRunId: string, userId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE pain_reports SET run_id = $2, user_id = $3
        WHERE run_id = $1 AND NOT EXISTS (SELECT 1 FROM pain_reports WHERE run_id = $2)`,
      [fromRunId, toRunId, userId],
    );
  }

  async moveToUser(sourceId: string, targetId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(`UPDATE pain_reports SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
  }
}
