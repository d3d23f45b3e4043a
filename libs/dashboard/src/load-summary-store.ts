import { Injectable, Module } from '@nestjs/common';
import {
  RunnerLoadSummariesRepository,
  StoredLoadSummary,
  UsersRepository,
  type LoadSummaryToStore,
  type RunDistance,
} from '@deload/persistence';
import { LocalCalendar } from '@deload/rules';
import { LoadSummary, loadSummary } from './load-summary';
import { RecordScope, RunnerRecords } from './runner-records';

/** 12 weeks of sparkline plus 12 weeks for the ACWR's 28-day average to settle (whole local days). */
export const SUMMARY_LOOKBACK_DAYS = 7 * 12 + 84;

/** Whose summary, as which viewer: the runner's zone and sync mark come with it. */
export interface SummaryScope extends RecordScope {
  timezone: string;
  syncedThrough: Date | null;
}

type StoredSummary = Omit<LoadSummary, 'lastRunAt'> & { lastRunAt: string | null };

/**
 * The team page's load summaries, precomputed (runner_load_summaries): a stored one is used while
 * the runner's runs are unchanged (the version triggers on runs/run_sources bump), the zone and sync
 * mark are the same and `now` falls in the span it holds for; otherwise it is computed from the runs
 * — exactly as loadSummary over the last SUMMARY_LOOKBACK_DAYS local days — and stored again.
 */
@Injectable()
export class LoadSummaryStore {
  constructor(
    private readonly stored: RunnerLoadSummariesRepository,
    private readonly records: RunnerRecords,
    private readonly users: UsersRepository,
  ) {}

  /** Stores a runner's summaries for today (both viewer kinds): the worker does it after each evaluation, so the team page finds them. */
  async refreshRunner(runnerId: string, now = new Date()): Promise<void> {
    const runner = await this.users.byId(runnerId);
    if (runner) await this.refresh([{ runnerId, timezone: runner.timezone, syncedThrough: runner.lastSyncedAt }], now);
  }

  /** Each scope's summary as of `now`, by runner id (a few queries for a whole team). */
  async summaries(scopes: readonly SummaryScope[], now: Date): Promise<Map<string, LoadSummary>> {
    const found = await this.stored.lookup<StoredSummary>(
      scopes.map(({ runnerId, includeStravaData }) => ({ userId: runnerId, includeStrava: includeStravaData })),
    );
    const result = new Map<string, LoadSummary>();
    const misses: { scope: SummaryScope; version: string }[] = [];
    scopes.forEach((scope, index) => {
      const { stored, currentVersion } = found[index];
      if (stored && holds(stored, scope, currentVersion, now)) result.set(scope.runnerId, revive(stored.summary));
      else misses.push({ scope, version: currentVersion });
    });
    if (misses.length) for (const [runnerId, summary] of await this.compute(misses, now)) result.set(runnerId, summary);
    return result;
  }

  /** Computes and stores the summaries of these runners (both viewer kinds), e.g. after their runs changed. */
  async refresh(scopes: readonly Omit<SummaryScope, 'includeStravaData'>[], now = new Date()): Promise<void> {
    if (!scopes.length) return;
    const keys = scopes.flatMap((scope) => [true, false].map((includeStravaData) => ({ ...scope, includeStravaData })));
    const found = await this.stored.lookup(
      keys.map(({ runnerId, includeStravaData }) => ({ userId: runnerId, includeStrava: includeStravaData })),
    );
    await this.compute(
      keys.map((scope, index) => ({ scope, version: found[index].currentVersion })),
      now,
    );
  }

  /** Versions must have been read before the runs: a change in between leaves a summary that is already outdated, never one that looks current. */
  private async compute(misses: readonly { scope: SummaryScope; version: string }[], now: Date): Promise<Map<string, LoadSummary>> {
    const windows = misses.map(({ scope }) => {
      const calendar = new LocalCalendar(scope.timezone);
      const today = calendar.dayOf(now);
      return {
        dayStart: calendar.startOf(today),
        nextDay: calendar.startOf(today + 1),
        since: calendar.startOf(today - SUMMARY_LOOKBACK_DAYS),
      };
    });
    const since = new Date(Math.min(...windows.map((window) => window.since)));
    // One read per viewer kind: a runner may be wanted both ways (refresh), and runDistances groups by runner.
    const [withStrava, withoutStrava] = await Promise.all(
      [true, false].map((includeStravaData) => {
        const group = misses.filter(({ scope }) => scope.includeStravaData === includeStravaData).map(({ scope }) => scope);
        return group.length ? this.records.runDistances(group, since) : Promise.resolve(new Map<string, RunDistance[]>());
      }),
    );
    const computed = new Map<string, LoadSummary>();
    const toStore: LoadSummaryToStore<LoadSummary>[] = [];
    misses.forEach(({ scope, version }, index) => {
      const window = windows[index];
      const all = (scope.includeStravaData ? withStrava : withoutStrava).get(scope.runnerId) ?? [];
      const runs = all.filter((run) => run.startUtc.getTime() >= window.since);
      const summary = loadSummary(runs, scope.timezone, now, { syncedThrough: scope.syncedThrough });
      computed.set(scope.runnerId, summary);
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
        summary,
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

function revive(summary: StoredSummary): LoadSummary {
  return { ...summary, lastRunAt: summary.lastRunAt === null ? null : new Date(summary.lastRunAt) };
}

/** The store alone (the worker refreshes summaries after evaluations); needs PersistenceModule. */
@Module({ providers: [RunnerRecords, LoadSummaryStore], exports: [LoadSummaryStore] })
export class LoadSummariesModule {}
