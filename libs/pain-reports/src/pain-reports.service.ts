import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DistanceUnit, invalid, notFound, PainReportSource } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { parsePainTag } from '@deload/pain-tags';
import { PainReportEntity, PainReportsRepository, RunEntity, RunsRepository, RunText } from '@deload/persistence';
import { parsePainReportInput, PainReportInput } from './pain-report.input';

/** Sources a runner chooses on purpose; any of them wins over a tag read from the run's text. */
export type ExplicitPainSource = Exclude<PainReportSource, 'strava_tag'>;

/** GPS and a runner's memory are rough: an onset a little past the recorded end still counts. */
const ONSET_SLACK = 1.05;

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
    private readonly runs: RunsRepository,
    private readonly reports: PainReportsRepository,
  ) {}

  async forRun(userId: string, runId: string): Promise<PainReportEntity | null> {
    return this.reports.forRun(userId, runId);
  }

  /** The runner's own run, or not found (also for someone else's run, so ids cannot be probed). */
  async ownRun(userId: string, runId: string): Promise<RunEntity> {
    const run = /^[0-9a-f-]{36}$/i.test(runId) ? await this.runs.ownedBy(userId, runId) : null;
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
    return this.reports.hasEverReportedPain(userId);
  }

  /**
   * Reads pain tags from the title and description of these runs (new, re-imported, or edited on
   * Strava) and brings their tag reports in line: added, updated, or removed when the words are
   * gone. Returns the runners whose reports changed. Inside the transaction that stored the runs.
   */
  async applyRunText(manager: EntityManager, runIds: readonly string[]): Promise<string[]> {
    if (!runIds.length) return [];
    const runs = await this.runs.textsForPainTags(runIds, manager);
    const changed = new Set<string>();
    for (const run of runs) {
      if (run.reportSource && run.reportSource !== 'strava_tag') continue;
      if (await this.applyTag(manager, run)) changed.add(run.userId);
    }
    return [...changed];
  }

  private async applyTag(manager: EntityManager, run: RunText): Promise<boolean> {
    const text = [run.name, run.description].filter(Boolean).join('\n');
    const tag = parsePainTag(text, { defaultUnit: run.units as DistanceUnit });
    if (!tag) {
      // Most runs carry no tag and never had one: nothing to remove, so no query.
      if (run.reportSource !== 'strava_tag') return false;
      return this.reports.deleteTagReport(run.id, manager);
    }
    const input: PainReportInput = { ...tag.observation, note: tag.text.slice(0, 500) };
    if (input.onsetM !== undefined && run.distanceM > 0 && input.onsetM > run.distanceM * ONSET_SLACK) delete input.onsetM;
    const written = await this.upsert(manager, { userId: run.userId, runId: run.id, input, source: 'strava_tag' });
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
    const fields = {
      userId: report.userId,
      runId: report.runId,
      hasPain: input.hasPain,
      location: input.location ?? (input.hasPain ? 'other' : null),
      side: input.side ?? null,
      onsetM: input.onsetM ?? null,
      onsetS: input.onsetS ?? null,
      severity: input.severity ?? null,
      source: report.source,
      note: input.note ?? null,
    };
    return this.reports.upsert(fields, report.source === 'strava_tag', manager);
  }
}
