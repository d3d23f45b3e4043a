import { dateOfDay, LocalCalendar, mondayOf } from './calendar';
import { round } from './statistics';
import type { EngineRun } from './types';

/**
 * Computed metrics for dashboards (context, not alerts). All take the runner's running activities
 * (any order) and IANA zone; days and weeks are local, weeks start on Monday. Distances in metres.
 */
export type MetricRun = Pick<EngineRun, 'startUtc' | 'distanceM'> & { id?: string };

export interface DateRange {
  /** First instant to include (default: the first run). */
  from?: Date;
  /** Last instant to include (default: the last run). */
  to?: Date;
}

export interface WeeklyDistance {
  /** Monday of the week, YYYY-MM-DD. */
  weekStart: string;
  distanceM: number;
  runs: number;
}

/** Distance per local week, oldest first, with empty weeks filled in. */
export function weeklyDistanceSeries(runs: readonly MetricRun[], timezone: string, range: DateRange = {}): WeeklyDistance[] {
  const { days, calendar } = localDays(runs, timezone);
  const span = daySpan(
    days.map((run) => run.day),
    calendar,
    range,
  );
  if (!span) return [];
  const weeks = new Map<number, WeeklyDistance>();
  for (let monday = mondayOf(span.first); monday <= span.last; monday += 7)
    weeks.set(monday, { weekStart: dateOfDay(monday), distanceM: 0, runs: 0 });
  for (const run of days) {
    const week = weeks.get(mondayOf(run.day));
    if (!week || run.day < span.first || run.day > span.last) continue;
    week.distanceM += run.distanceM;
    week.runs += 1;
  }
  return [...weeks.values()].map((week) => ({ ...week, distanceM: round(week.distanceM, 1) }));
}

export interface AcwrPoint {
  date: string;
  /** 7-day EWMA of daily distance, metres per day. */
  acuteM: number;
  /** 28-day EWMA of daily distance as of the day before the acute week, metres per day. */
  chronicM: number;
  /** acute ÷ chronic; null during the first 35 days of history or while chronic is 0. */
  ratio: number | null;
}

const ACUTE_LAMBDA = 2 / (7 + 1);
const CHRONIC_LAMBDA = 2 / (28 + 1);

/**
 * Acute:chronic workload ratio per local day, EWMA 7/28 (Williams et al. 2017: λ = 2 / (N + 1)),
 * uncoupled: the chronic average is taken as of the day before the 7-day acute window, so the
 * acute week is not part of its own baseline. Shown as context only: it predicted little for
 * runners (Impellizzeri et al. 2020; Frandsen et al. 2025), so no rule alerts on it.
 */
export function acwrSeries(runs: readonly MetricRun[], timezone: string, range: DateRange = {}): AcwrPoint[] {
  const { days, calendar } = localDays(runs, timezone);
  if (!days.length) return [];
  const firstRunDay = days[0].day;
  const span = daySpan([firstRunDay, days[days.length - 1].day], calendar, range);
  if (!span) return [];
  const daily = new Map<number, number>();
  for (const run of days) daily.set(run.day, (daily.get(run.day) ?? 0) + run.distanceM);
  const points: AcwrPoint[] = [];
  const chronicHistory: number[] = [];
  let acute = 0;
  let chronic = 0;
  for (let day = firstRunDay; day <= span.last; day++) {
    const load = daily.get(day) ?? 0;
    acute = load * ACUTE_LAMBDA + (1 - ACUTE_LAMBDA) * acute;
    chronic = load * CHRONIC_LAMBDA + (1 - CHRONIC_LAMBDA) * chronic;
    chronicHistory.push(chronic);
    if (day < span.first) continue;
    const uncoupledChronic = chronicHistory.length > 7 ? chronicHistory[chronicHistory.length - 8] : 0;
    const ratio = day - firstRunDay >= 35 && uncoupledChronic > 0 ? round(acute / uncoupledChronic, 3) : null;
    points.push({ date: dateOfDay(day), acuteM: round(acute, 1), chronicM: round(uncoupledChronic, 1), ratio });
  }
  return points;
}

export interface SingleRunRatio {
  runId: string | undefined;
  date: string;
  distanceM: number;
  /** Longest run in the 30 days before this one; null when there was none. */
  previousLongestM: number | null;
  /** distance ÷ previousLongestM; null without a previous run or within the first 30 days of history. */
  ratio: number | null;
}

/** For each run (oldest first): its distance against the longest run of the 30 days before it. */
export function singleRunRatios(runs: readonly MetricRun[], timezone: string): SingleRunRatio[] {
  const { days } = localDays(runs, timezone);
  if (!days.length) return [];
  const firstDay = days[0].day;
  return days.map((run, index) => {
    let longest = 0;
    for (let earlier = index - 1; earlier >= 0 && days[earlier].day >= run.day - 30; earlier--)
      longest = Math.max(longest, days[earlier].distanceM);
    const ratio = longest > 0 && run.day - firstDay >= 30 ? round(run.distanceM / longest, 3) : null;
    return { runId: run.id, date: dateOfDay(run.day), distanceM: run.distanceM, previousLongestM: longest > 0 ? longest : null, ratio };
  });
}

function localDays(runs: readonly MetricRun[], timezone: string) {
  const calendar = new LocalCalendar(timezone);
  const days = runs
    .map((run) => ({ id: run.id, startMs: run.startUtc.getTime(), day: calendar.dayOf(run.startUtc), distanceM: run.distanceM }))
    .sort((a, b) => a.startMs - b.startMs);
  return { days, calendar };
}

function daySpan(runDays: number[], calendar: LocalCalendar, range: DateRange): { first: number; last: number } | null {
  const first = range.from ? calendar.dayOf(range.from) : runDays.reduce((a, b) => Math.min(a, b), Infinity);
  const last = range.to ? calendar.dayOf(range.to) : runDays.reduce((a, b) => Math.max(a, b), -Infinity);
  return Number.isFinite(first) && Number.isFinite(last) && first <= last ? { first, last } : null;
}
