import { acwrSeries, dateOfDay, LocalCalendar, singleRunRatios, type WeeklyDistance } from '@deload/rules';

export interface SummaryRun {
  id: string;
  startUtc: Date;
  distanceM: number;
}

export interface BiggestRecentRun {
  runId: string;
  date: string;
  distanceM: number;
  /** Longest run of the 30 days before it; null without one. */
  previousLongestM: number | null;
  /** distanceM ÷ previousLongestM; null without a previous run or in the first 30 days of history. */
  ratio: number | null;
}

/** A runner's recent load at a glance (the coach's row and the top of the runner page). */
export interface LoadSummary {
  /**
   * Last local day the figures cover (YYYY-MM-DD): today, or the last day the runner's history is
   * known to be complete when that is earlier — days without a sync are unknown, not rest (as in
   * the rules, so these figures match the alerts).
   */
  windowEnd: string;
  windowEndsToday: boolean;
  /** The 7 local days ending on windowEnd. */
  last7DaysM: number;
  /** Mean weekly distance of the 28 local days before those 7. */
  previous4WeeksMeanM: number;
  /** last7DaysM ÷ previous4WeeksMeanM; null without a base. */
  changeRatio: number | null;
  /** The run of the last 7 days that stood out most against the 30 days before it. */
  biggestRecentRun: BiggestRecentRun | null;
  /** Latest acute:chronic ratio (EWMA 7/28) — context, not an alert. */
  acwr: number | null;
  /**
   * The sparkline: distance per 7 local days, oldest first, the last being the 7 days ending on
   * windowEnd (so it ends on last7DaysM, and a steady runner draws a flat line on any weekday,
   * where calendar weeks would end in a half-run current week). `weekStart` is each stretch's first day.
   */
  weeks: WeeklyDistance[];
  lastRunAt: Date | null;
}

export interface SummaryOptions {
  /** users.last_synced_at: history is complete up to it. Absent: up to the latest run given. */
  syncedThrough?: Date | null;
  sparklineWeeks?: number;
}

/**
 * The summary as of `now` in the runner's zone. `runs` must reach back at least 12 weeks before
 * `now` (more makes the ACWR's 28-day average more exact: it starts from the first run given).
 */
export function loadSummary(runs: readonly SummaryRun[], timezone: string, now: Date, options: SummaryOptions = {}): LoadSummary {
  const sparklineWeeks = options.sparklineWeeks ?? 12;
  const calendar = new LocalCalendar(timezone);
  const past = runs.filter((run) => run.startUtc.getTime() <= now.getTime());
  const latestRun = past.reduce<Date | null>((latest, run) => (!latest || run.startUtc > latest ? run.startUtc : latest), null);
  const knownThrough = options.syncedThrough ?? latestRun ?? now;
  const today = calendar.dayOf(now);
  const endDay = Math.min(today, calendar.dayOf(knownThrough));
  const windowEnd = new Date(Math.min(now.getTime(), calendar.endOf(endDay)));
  const runDays = past.map((run) => calendar.dayOf(run.startUtc));
  const distanceOn = (from: number, to: number) =>
    past.reduce((sum, run, index) => (runDays[index] >= from && runDays[index] <= to ? sum + run.distanceM : sum), 0);
  const last7DaysM = distanceOn(endDay - 6, endDay);
  const previous4WeeksMeanM = distanceOn(endDay - 34, endDay - 7) / 4;
  const weeks = sevenDayStretches(past, runDays, endDay, sparklineWeeks);
  // Only the last point is shown: asking for the series from windowEnd skips building the earlier ones (same EWMA).
  const acwr = acwrSeries(past, timezone, { from: windowEnd, to: windowEnd }).at(-1)?.ratio ?? null;
  return {
    windowEnd: dateOfDay(endDay),
    windowEndsToday: endDay === today,
    last7DaysM,
    previous4WeeksMeanM,
    changeRatio: previous4WeeksMeanM > 0 ? last7DaysM / previous4WeeksMeanM : null,
    biggestRecentRun: biggestRecentRun(past, timezone, endDay, calendar),
    acwr,
    weeks,
    lastRunAt: latestRun,
  };
}

/** Distance and runs per 7 local days, oldest first, the last stretch ending on `endDay`. */
function sevenDayStretches(runs: readonly SummaryRun[], runDays: readonly number[], endDay: number, count: number): WeeklyDistance[] {
  const firstDay = endDay - 7 * count + 1;
  const weeks = Array.from({ length: count }, (_, index) => ({ weekStart: dateOfDay(firstDay + 7 * index), distanceM: 0, runs: 0 }));
  runs.forEach((run, index) => {
    const day = runDays[index];
    if (day < firstDay || day > endDay) return;
    const week = weeks[Math.floor((day - firstDay) / 7)];
    week.distanceM += run.distanceM;
    week.runs += 1;
  });
  return weeks;
}

function biggestRecentRun(runs: readonly SummaryRun[], timezone: string, endDay: number, calendar: LocalCalendar): BiggestRecentRun | null {
  const dayOfRun = new Map(runs.map((run) => [run.id, calendar.dayOf(run.startUtc)]));
  const inWindow = (runId: string | undefined) => {
    const day = dayOfRun.get(runId!);
    return day !== undefined && day >= endDay - 6 && day <= endDay;
  };
  const recent = singleRunRatios(runs, timezone).filter((entry) => inWindow(entry.runId));
  if (!recent.length) return null;
  const score = (entry: (typeof recent)[number]) => entry.ratio ?? 0;
  const biggest = recent.reduce((best, entry) =>
    score(entry) > score(best) || (score(entry) === score(best) && entry.distanceM > best.distanceM) ? entry : best,
  );
  return {
    runId: biggest.runId!,
    date: biggest.date,
    distanceM: biggest.distanceM,
    previousLongestM: biggest.previousLongestM,
    ratio: biggest.ratio,
  };
}
