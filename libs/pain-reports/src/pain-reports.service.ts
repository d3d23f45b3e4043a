import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DistanceUnit, invalid, notFound, PainReportSource } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { parsePainTag } from '@deload/pain-tags';
import { PainReportEntity, RunEntity } from '@deload/persistence';
import { parsePainReportInput, PainReportInput } from './pain-report.input';

/** Sources a runner chooses on purpose; any of them wins over a tag read from the run's text. */
export type ExplicitPainSource = Exclude<PainReportSource, 'strava_tag'>;

/** GPS and a runner's memory are rough: an onset a little past the recorded end still counts. */
const ONSET_SLACK = 1.05;

interface RunText {
  id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  distance_m: number;
  units: DistanceUnit;
  report_source: PainReportSource | null;
}

/**
 * Pain reports, one per run: from the runner (web form, API, email check-in) or read from the run's
 * title and description (`ITB from 4k`). An explicit report replaces whatever was there; a tag never
 * replaces an explicit report. A report the runner makes declares `pain-reported` (the runner is
 * re-evaluated); tags are read inside ingest's transaction, whose `runs-changed` covers them.
 */
@Injectable()
export class PainReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async forRun(userId: string, runId: string): Promise<PainReportEntity | null> {
    return this.dataSource.getRepository(PainReportEntity).findOneBy({ userId, runId });
  }

  /** The runner's own run, or not found (also for someone else's run, so ids cannot be probed). */
  async ownRun(userId: string, runId: string): Promise<RunEntity> {
    const run = /^[0-9a-f-]{36}$/i.test(runId) ? await this.dataSource.getRepository(RunEntity).findOneBy({ id: runId, userId }) : null;
    if (!run) throw notFound('no such run');
    return run;
  }

  /** Records what the runner told us about one of their runs; `raw` is validated here. */
  async record(userId: string, runId: string, raw: unknown, source: ExplicitPainSource): Promise<PainReportEntity> {
    const run = await this.ownRun(userId, runId);
    const input = this.validate(run, raw);
    return this.dataSource.transaction(async (manager) => {
      const report = await this.upsert(manager, { userId, runId, input, source });
      await this.events.record(manager, { type: 'pain-reported', userId });
      return report!;
    });
  }

  /** The report, checked on its own and against the run; DomainError('invalid') naming each problem. */
  validate(run: Pick<RunEntity, 'distanceM'>, raw: unknown): PainReportInput {
    const input = parsePainReportInput(raw);
    if (input.onsetM !== undefined && run.distanceM > 0 && input.onsetM > run.distanceM * ONSET_SLACK)
      throw invalid(`invalid pain report: onsetM ${input.onsetM} is after the end of the run (${Math.round(run.distanceM)} m)`);
    return input;
  }

  async hasEverReportedPain(userId: string): Promise<boolean> {
    return this.dataSource.getRepository(PainReportEntity).existsBy({ userId, hasPain: true });
  }

  /**
   * Reads pain tags from the title and description of these runs (new, re-imported, or edited on
   * Strava) and brings their tag reports in line: added, updated, or removed when the words are
   * gone. Returns the runners whose reports changed. Inside the transaction that stored the runs.
   */
  async applyRunText(manager: EntityManager, runIds: readonly string[]): Promise<string[]> {
    if (!runIds.length) return [];
    const runs: RunText[] = await manager.query(
      `SELECT r.id, r.user_id, r.name, r.description, r.distance_m, u.units, p.source AS report_source
         FROM runs r JOIN users u ON u.id = r.user_id LEFT JOIN pain_reports p ON p.run_id = r.id
        WHERE r.id = ANY($1::uuid[]) AND r.is_run`,
      [runIds],
    );
    const changed = new Set<string>();
    for (const run of runs) {
      if (run.report_source && run.report_source !== 'strava_tag') continue;
      if (await this.applyTag(manager, run)) changed.add(run.user_id);
    }
    return [...changed];
  }

  private async applyTag(manager: EntityManager, run: RunText): Promise<boolean> {
    const text = [run.name, run.description].filter(Boolean).join('\n');
    const tag = parsePainTag(text, { defaultUnit: run.units });
    if (!tag) {
      // Most runs carry no tag and never had one: nothing to remove, so no query.
      if (run.report_source !== 'strava_tag') return false;
      const removed = await manager.query(`DELETE FROM pain_reports WHERE run_id = $1 AND source = 'strava_tag' RETURNING id`, [run.id]);
      return removed.length > 0;
    }
    const input: PainReportInput = { ...tag.observation, note: tag.text.slice(0, 500) };
    if (input.onsetM !== undefined && run.distance_m > 0 && input.onsetM > run.distance_m * ONSET_SLACK) delete input.onsetM;
    const written = await this.upsert(manager, { userId: run.user_id, runId: run.id, input, source: 'strava_tag' });
    return written !== null;
  }

  /**
   * One row per run (pain_reports_one_per_run). A tag only writes over a tag, and only when
   * something differs; returns null when nothing was written.
   */
  private async upsert(
    manager: EntityManager,
    report: { userId: string; runId: string; input: PainReportInput; source: PainReportSource },
  ): Promise<PainReportEntity | null> {
    const { input } = report;
    const values = [
      report.userId,
      report.runId,
      input.hasPain,
      input.location ?? (input.hasPain ? 'other' : null),
      input.side ?? null,
      input.onsetM ?? null,
      input.onsetS ?? null,
      input.severity ?? null,
      report.source,
      input.note ?? null,
    ];
    const onlyOverTags =
      report.source === 'strava_tag'
        ? `WHERE pain_reports.source = 'strava_tag' AND (pain_reports.has_pain, pain_reports.location, pain_reports.side, pain_reports.onset_m,
             pain_reports.onset_s, pain_reports.severity, pain_reports.note) IS DISTINCT FROM
             (EXCLUDED.has_pain, EXCLUDED.location, EXCLUDED.side, EXCLUDED.onset_m, EXCLUDED.onset_s, EXCLUDED.severity, EXCLUDED.note)`
        : '';
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO pain_reports (user_id, run_id, has_pain, location, side, onset_m, onset_s, severity, source, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (run_id) DO UPDATE SET has_pain = EXCLUDED.has_pain, location = EXCLUDED.location, side = EXCLUDED.side,
         onset_m = EXCLUDED.onset_m, onset_s = EXCLUDED.onset_s, severity = EXCLUDED.severity, source = EXCLUDED.source,
         note = EXCLUDED.note, updated_at = now()
       ${onlyOverTags}
       RETURNING id`,
      values,
    );
    if (!rows.length) return null;
    return manager.getRepository(PainReportEntity).findOneByOrFail({ id: rows[0].id as string });
  }
}
