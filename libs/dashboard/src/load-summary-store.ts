import { Injectable, Module } from '@nestjs/common';
import { painReportForViewer } from '@deload/auth';
import type { PainLocation } from '@deload/domain';
import {
  PainReportsRepository,
  RunnerLoadSummariesRepository,
  StoredLoadSummary,
  UsersRepository,
  type LoadSummaryToStore,
  type PainReportOnRun,
  type RunDistance,
} from '@deload/persistence';
import { LocalCalendar } from '@deload/rules';
import { LoadSummary, loadSummary } from './load-summary';
import { LatestPain, latestPain } from './pain-trend';
import { groupBy, RecordScope, RunnerRecords } from './runner-records';
import type { ShoeDistance } from './shoe-status';

/** 12 weeks of sparkline plus 12 weeks for the ACWR's 28-day average to settle (whole local days). */
export const SUMMARY_LOOKBACK_DAYS = 7 * 12 + 84;
/** The latest pain report is looked for among the reports on runs of the last 180 local days. */
export const PAIN_LOOKBACK_DAYS = 180;

/** Runners recomputed per step of the warm-up (warmStale): two reads of their runs each, small enough not to crowd the pages' queries. */
export const WARM_BATCH_SIZE = 50;

/** Whose figures, as which viewer: the runner's zone and sync mark come with it. */
export interface SummaryScope extends RecordScope {
  timezone: string;
  syncedThrough: Date | null;
}

/** What the team page shows of a runner, apart from open alerts and what their settings decide. */
export interface RunnerFigures {
  summary: LoadSummary;
  /** With their distances (RunnerRecords.shoes). */
  shoes: (ShoeDistance & { userId: string })[];
  latestPain: LatestPain | null;
}

/** As stored (JSON): dates as ISO strings. */
type StoredFigures = {
  summary: Omit<LoadSummary, 'lastRunAt'> & { lastRunAt: string | null };
  shoes: RunnerFigures['shoes'];
  latestPain: (Omit<LatestPain, 'report'> & { report: Omit<LatestPain['report'], 'startUtc'> & { startUtc: string } }) | null;
};

/**
 * The team page's per-runner figures, precomputed (runner_load_summaries): a stored row is used
 * while the runner's runs, shoes and pain reports are unchanged (the version that triggers bump),
 * the zone and sync mark are the same and `now` falls in the span it holds for; otherwise the
 * figures are computed — exactly as loadSummary over the last SUMMARY_LOOKBACK_DAYS local days,
 * RunnerRecords.shoes and latestPain over the last PAIN_LOOKBACK_DAYS local days — and stored again.
 */
@Injectable()
export class LoadSummaryStore {
  constructor(
    private readonly stored: RunnerLoadSummariesRepository,
    private readonly records: RunnerRecords,
    private readonly painReports: PainReportsRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Stores a runner's figures for today (both viewer kinds): the worker does it after each evaluation, so the team page finds them. */
  async refreshRunner(runnerId: string, now = new Date()): Promise<void> {
    const runner = await this.users.byId(runnerId);
    if (runner) await this.refresh([{ runnerId, timezone: runner.timezone, syncedThrough: runner.lastSyncedAt }], now);
  }

  /** Each scope's figures as of `now`, by runner id (one query when all are stored). */
  async figures(scopes: readonly SummaryScope[], now: Date): Promise<Map<string, RunnerFigures>> {
    const found = await this.stored.lookup<StoredFigures>(
      scopes.map(({ runnerId, includeStravaData }) => ({ userId: runnerId, includeStrava: includeStravaData })),
    );
    const result = new Map<string, RunnerFigures>();
    const misses: { scope: SummaryScope; version: string }[] = [];
    scopes.forEach((scope, index) => {
      const { userId, includeStrava, stored, currentVersion } = found[index];
      if (userId !== scope.runnerId || includeStrava !== scope.includeStravaData) throw new Error('load summaries came back out of order');
      if (stored && holds(stored, scope, currentVersion, now)) result.set(scope.runnerId, revive(stored.summary));
      else misses.push({ scope, version: currentVersion });
    });
    if (misses.length) for (const [runnerId, figures] of await this.compute(misses, now)) result.set(runnerId, figures);
    return result;
  }

  /** Computes and stores the figures of these runners (both viewer kinds), e.g. after their runs changed. */
  async refresh(scopes: readonly Omit<SummaryScope, 'includeStravaData'>[], now = new Date()): Promise<void> {
    if (!scopes.length) return;
    const keys = scopes.flatMap((scope) => [true, false].map((includeStravaData) => ({ ...scope, includeStravaData })));
    const found = await this.stored.lookup(
      keys.map(({ runnerId, includeStravaData }) => ({ userId: runnerId, includeStrava: includeStravaData })),
    );
    const versions = new Map(found.map((entry) => [`${entry.userId}/${entry.includeStrava}`, entry.currentVersion]));
    await this.compute(
      keys.map((scope) => ({ scope, version: versions.get(`${scope.runnerId}/${scope.includeStravaData}`) ?? '0' })),
      now,
    );
  }

  /**
   * Keeps stored figures warm across local midnights (the worker's cron, every 15 minutes): every
   * runner with a stored row whose local day is over (RunnerLoadSummariesRepository.staleAt) is
   * recomputed for `now`, `batchSize` runners at a time, one pass over the runners in id order.
   * Only one process warms at a time (an advisory lock; the others return null at once), and a
   * rerun only finds what is still stale, so it is idempotent; the rows it stores are what the
   * team page would have computed itself. Cheap when nothing is stale: one query.
   */
  async warmStale(now = new Date(), batchSize = WARM_BATCH_SIZE): Promise<{ runners: number; failed: number } | null> {
    return this.stored.whileWarming(async () => {
      let runners = 0;
      let failed = 0;
      let after: string | null = null;
      for (;;) {
        const stale = await this.stored.staleAt(now, after, batchSize);
        if (stale.length) {
          const scopes = stale.map(({ userId, timezone, syncedThrough }) => ({ runnerId: userId, timezone, syncedThrough }));
          failed += await this.refreshEach(scopes, now);
          runners += stale.length;
          after = stale[stale.length - 1].userId;
        }
        if (stale.length < batchSize) return { runners, failed };
      }
    });
  }

  /** The batch at once, or runner by runner when that fails, so one runner (a zone no longer known, say) never holds back the rest; how many failed. */
  private async refreshEach(scopes: readonly Omit<SummaryScope, 'includeStravaData'>[], now: Date): Promise<number> {
    try {
      await this.refresh(scopes, now);
      return 0;
    } catch {
      let failed = 0;
      for (const scope of scopes) await this.refresh([scope], now).catch(() => failed++);
      return failed;
    }
  }

  /** Versions must have been read before the data: a change in between leaves figures that are already outdated, never ones that look current. */
  private async compute(misses: readonly { scope: SummaryScope; version: string }[], now: Date): Promise<Map<string, RunnerFigures>> {
    const windows = misses.map(({ scope }) => {
      const calendar = new LocalCalendar(scope.timezone);
      const today = calendar.dayOf(now);
      return {
        dayStart: calendar.startOf(today),
        nextDay: calendar.startOf(today + 1),
        since: calendar.startOf(today - SUMMARY_LOOKBACK_DAYS),
        painSince: calendar.startOf(today - PAIN_LOOKBACK_DAYS),
      };
    });
    const since = new Date(Math.min(...windows.map((window) => window.since)));
    const painSince = new Date(Math.min(...windows.map((window) => window.painSince)));
    // One read per viewer kind: a runner may be wanted both ways (refresh), and the reads group by runner.
    const [withStrava, withoutStrava] = await Promise.all(
      [true, false].map(async (includeStravaData) => {
        const group = misses.filter(({ scope }) => scope.includeStravaData === includeStravaData).map(({ scope }) => scope);
        if (!group.length)
          return {
            runs: new Map<string, RunDistance[]>(),
            shoes: new Map<string, RunnerFigures['shoes']>(),
            pain: new Map<string, PainReportOnRun[]>(),
          };
        const ids = group.map((scope) => scope.runnerId);
        const [runs, shoes, pain] = await Promise.all([
          this.records.runDistances(group, since),
          this.records.shoes(group),
          this.painReports.visibleSince(ids, includeStravaData ? ids : [], painSince),
        ]);
        return { runs, shoes, pain: groupBy(pain) };
      }),
    );
    const computed = new Map<string, RunnerFigures>();
    const toStore: LoadSummaryToStore<RunnerFigures>[] = [];
    misses.forEach(({ scope, version }, index) => {
      const window = windows[index];
      const read = scope.includeStravaData ? withStrava : withoutStrava;
      const runs = (read.runs.get(scope.runnerId) ?? []).filter((run) => run.startUtc.getTime() >= window.since);
      const pain = (read.pain.get(scope.runnerId) ?? [])
        .filter((report) => report.startUtc.getTime() >= window.painSince)
        .map((report) => painReportForViewer({ ...report, location: report.location as PainLocation | null }, scope.includeStravaData));
      const figures: RunnerFigures = {
        summary: loadSummary(runs, scope.timezone, now, { syncedThrough: scope.syncedThrough }),
        shoes: read.shoes.get(scope.runnerId) ?? [],
        latestPain: latestPain(pain),
      };
      computed.set(scope.runnerId, figures);
      // It holds while the same runs are "past": from the latest run at or before now to the first one after it, within today.
      let validFrom = window.dayStart;
      let validUntil = window.nextDay;
      for (const run of runs) {
        const start = run.startUtc.getTime();
        if (start <= now.getTime()) validFrom = Math.max(validFrom, start);
        else validUntil = Math.min(validUntil, start);
      }
      toStore.push({
        userId: scope.runnerId,
        includeStrava: scope.includeStravaData,
        version,
        timezone: scope.timezone,
        syncedThrough: scope.syncedThrough,
        validFrom: new Date(validFrom),
        validUntil: new Date(validUntil),
        summary: figures,
      });
    });
    await this.stored.store(toStore);
    return computed;
  }
}

function holds(stored: StoredLoadSummary, scope: SummaryScope, currentVersion: string, now: Date): boolean {
  return (
    stored.version === currentVersion &&
    stored.timezone === scope.timezone &&
    (stored.syncedThrough?.getTime() ?? null) === (scope.syncedThrough?.getTime() ?? null) &&
    stored.validFrom.getTime() <= now.getTime() &&
    now.getTime() < stored.validUntil.getTime()
  );
}

function revive({ summary, shoes, latestPain: pain }: StoredFigures): RunnerFigures {
  return {
    summary: { ...summary, lastRunAt: summary.lastRunAt === null ? null : new Date(summary.lastRunAt) },
    shoes,
    latestPain: pain && { ...pain, report: { ...pain.report, startUtc: new Date(pain.report.startUtc) } },
  };
}

/** The store alone (the worker refreshes figures after evaluations); needs PersistenceModule. */
@Module({ providers: [RunnerRecords, LoadSummaryStore], exports: [LoadSummaryStore] })
export class LoadSummariesModule {}
