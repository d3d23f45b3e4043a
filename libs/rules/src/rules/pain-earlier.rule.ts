/**
 * pain-earlier — pain at one place that starts earlier in each run, or very early, or on run
 * after run.
 *
 * Evidence: the clinical picture of iliotibial band syndrome: pain on the outside of the knee that
 * comes on at a fairly predictable distance into each run and, as it worsens, sooner. This is a
 * clinical description, not a validated prediction rule; the thresholds below are rules of thumb.
 *
 * Defaults, per pain location, over the reports of the last 21 days:
 *  - warning when onset came earlier (distance into the run, else time) by at least 10 % at each
 *    step of the last 2 consecutive reports;
 *  - high when the latest onset is within the first 2 km or 15 min, or the last 3 runs in a row
 *    all came with pain there.
 * A later pain-free report ends the episode.
 */
import type { PainLocation, Severity } from '@deload/domain';
import type { Condition, Facts } from '../types';
import type { LoggedPain, LoggedRun } from '../training-log';
import { dateOfDay } from '../calendar';
import { round } from '../statistics';
import { painEarlierPresentation } from './pain-earlier.presentation';
import { clear, condition, EPSILON, Rule, RuleContext, RuleResult, triggered } from './rule';

interface PainEntry {
  run: LoggedRun;
  runIndex: number;
  pain: LoggedPain;
}

type Settings = RuleContext['thresholds']['pain-earlier'];

export const painEarlier: Rule = {
  id: 'pain-earlier',
  evaluate(context: RuleContext): RuleResult {
    const settings = context.thresholds['pain-earlier'];
    const entries = reportsInWindow(context, settings.windowDays);
    const locations = new Set(entries.filter((entry) => entry.pain.hasPain).map((entry) => entry.pain.location));
    if (!locations.size) return clear(() => `no pain reported in the last ${settings.windowDays} days`);
    const conditions: Condition[] = [];
    const notes: string[] = [];
    for (const location of locations) {
      const sequence = entries.filter((entry) => !entry.pain.hasPain || entry.pain.location === location);
      const condition = sequence[sequence.length - 1].pain.hasPain ? painCondition(context, settings, location, sequence) : null;
      notes.push(
        `${location}: ${condition ? condition.severity : sequence[sequence.length - 1].pain.hasPain ? 'no pattern' : 'latest run pain-free'}`,
      );
      if (condition) conditions.push(condition);
    }
    const reason = () => notes.join('; ');
    return conditions.length ? triggered(conditions, reason) : clear(reason);
  },
  changes: (thresholds) => ({ runs: 'with-pain', afterRun: [0, thresholds['pain-earlier'].windowDays] }),
};

/** Pain and no-pain reports on runs in the window, in run order. */
function reportsInWindow(context: RuleContext, windowDays: number): PainEntry[] {
  const from = context.log.firstIndexFrom(context.today - windowDays + 1);
  const to = context.log.firstIndexFrom(Math.min(context.today, context.lastKnownDay) + 1);
  const entries: PainEntry[] = [];
  const painRuns = context.log.painRunIndexes;
  for (let k = lowerBound(painRuns, from); k < painRuns.length && painRuns[k] < to; k++) {
    const run = context.log.runs[painRuns[k]];
    for (const pain of run.pain) entries.push({ run, runIndex: painRuns[k], pain });
  }
  return entries;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function painCondition(context: RuleContext, settings: Settings, location: PainLocation, sequence: PainEntry[]): Condition | null {
  const painful = sequence.filter((entry) => entry.pain.hasPain);
  const latest = painful[painful.length - 1];
  const earlyOnset = isEarlyOnset(latest.pain, settings);
  const inRow = painfulRunsInRow(context, location, latest.runIndex);
  const trend = earlierTrend(painful.slice(-settings.consecutiveReports), settings.earlierFraction);
  const severity: Severity | null = earlyOnset || inRow >= settings.highRunsInRow ? 'high' : trend !== null ? 'warning' : null;
  if (!severity) return null;
  const facts: Facts = {
    location,
    reports: painful.slice(-Math.max(settings.consecutiveReports, 3)).map((entry) => ({
      runId: entry.run.id,
      date: dateOfDay(entry.run.day),
      onsetM: entry.pain.onsetM,
      onsetS: entry.pain.onsetS,
    })),
    earlierByFraction: trend === null ? null : round(trend.fraction, 3),
    comparedBy: trend === null ? null : trend.by,
    painfulRunsInRow: inRow,
    earlyOnset,
  };
  return condition(
    {
      rule: 'pain-earlier',
      severity,
      dedupeKey: `pain-${location}`,
      facts,
    },
    () =>
      painEarlierPresentation.message(
        {
          location,
          day: latest.run.day,
          pain: latest.pain,
          previousPain: painful[painful.length - 2]?.pain,
          earlyOnset,
          runsInRow: inRow >= settings.highRunsInRow ? inRow : null,
          earlierBy: trend?.fraction ?? null,
        },
        context.units,
      ),
  );
}

function isEarlyOnset(pain: LoggedPain, settings: Settings): boolean {
  return (
    (pain.onsetM !== null && pain.onsetM <= settings.highOnsetM + EPSILON) ||
    (pain.onsetS !== null && pain.onsetS <= settings.highOnsetS + EPSILON)
  );
}

/** Runs in a row, ending with the latest painful one, that each came with pain at this location. */
function painfulRunsInRow(context: RuleContext, location: PainLocation, lastIndex: number): number {
  let count = 0;
  for (let index = lastIndex; index >= 0; index--) {
    if (!context.log.runs[index].pain.some((pain) => pain.hasPain && pain.location === location)) break;
    count += 1;
  }
  return count;
}

/** The smallest step by which onset came earlier across the reports, or null unless every step was earlier by `fraction`. */
function earlierTrend(reports: PainEntry[], fraction: number): { fraction: number; by: 'distance' | 'time' } | null {
  if (reports.length < 2) return null;
  const by = reports.every((entry) => entry.pain.onsetM !== null)
    ? 'distance'
    : reports.every((entry) => entry.pain.onsetS !== null)
      ? 'time'
      : null;
  if (!by) return null;
  const onset = (entry: PainEntry) => (by === 'distance' ? entry.pain.onsetM! : entry.pain.onsetS!);
  let smallest = Infinity;
  for (let step = 1; step < reports.length; step++) {
    const before = onset(reports[step - 1]);
    if (before <= 0) return null;
    const earlier = 1 - onset(reports[step]) / before;
    if (earlier < fraction - EPSILON) return null;
    smallest = Math.min(smallest, earlier);
  }
  return { fraction: smallest, by };
}
