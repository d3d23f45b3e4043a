import { acwrSeries } from '@deload/rules';
import { loadSummary, SummaryRun } from './load-summary';

const NOW = new Date('2025-03-20T18:00:00Z');
const DAY_MS = 86_400_000;

function run(daysAgo: number, km: number, id = `r${daysAgo}-${km}`): SummaryRun {
  return { id, startUtc: new Date(NOW.getTime() - daysAgo * DAY_MS - 3600_000), distanceM: km * 1000 };
}

/** A run every other day of `km`, from `fromDaysAgo` to `toDaysAgo` (inclusive). */
function everyOtherDay(fromDaysAgo: number, toDaysAgo: number, km: number): SummaryRun[] {
  const runs: SummaryRun[] = [];
  for (let day = fromDaysAgo; day >= toDaysAgo; day -= 2) runs.push(run(day, km));
  return runs;
}

describe('loadSummary', () => {
  it('compares the last 7 local days with the mean week of the 28 days before', () => {
    const runs = [...everyOtherDay(34, 8, 10), run(6, 20), run(3, 15), run(1, 17)];
    const summary = loadSummary(runs, 'UTC', NOW);
    expect(summary.last7DaysM).toBe(52_000);
    // 14 runs of 10 km on days 34, 32 … 8 → 140 km over 4 weeks
    expect(summary.previous4WeeksMeanM).toBe(35_000);
    expect(summary.changeRatio).toBeCloseTo(52 / 35, 5);
    expect(summary.lastRunAt).toEqual(run(1, 17).startUtc);
  });

  it('finds the run of the week that stood out most against the 30 days before it', () => {
    const runs = [...everyOtherDay(60, 8, 12), run(5, 21, 'long'), run(2, 8, 'short')];
    const { biggestRecentRun } = loadSummary(runs, 'UTC', NOW);
    expect(biggestRecentRun).toMatchObject({ runId: 'long', distanceM: 21_000, previousLongestM: 12_000 });
    expect(biggestRecentRun!.ratio).toBeCloseTo(1.75, 3);
  });

  it('counts days and weeks in the runner’s zone, not in UTC', () => {
    // Sunday 16 March 23:30 UTC is already Monday 17 March, 00:30, in Oslo
    const lateRun = { id: 'late', startUtc: new Date('2025-03-16T23:30:00Z'), distanceM: 10_000 };
    const sunday = new Date('2025-03-23T12:00:00Z');
    const oslo = loadSummary([lateRun], 'Europe/Oslo', sunday, { syncedThrough: sunday });
    expect(oslo.last7DaysM).toBe(10_000);
    expect(oslo.weeks.at(-1)).toMatchObject({ weekStart: '2025-03-17', distanceM: 10_000 });
    const utc = loadSummary([lateRun], 'UTC', sunday, { syncedThrough: sunday });
    expect(utc.last7DaysM).toBe(0);
    expect(utc.weeks.at(-2)).toMatchObject({ weekStart: '2025-03-10', distanceM: 10_000 });
  });

  it('gives 12 stretches of 7 days for the sparkline, the last ending today, with empty ones as 0', () => {
    const { weeks, last7DaysM } = loadSummary([run(0, 5), run(40, 9)], 'UTC', NOW);
    expect(weeks).toHaveLength(12);
    // Thursday 20 March: the last stretch is Friday 14 to Thursday 20, the "last 7 days"
    expect(weeks.at(-1)).toMatchObject({ weekStart: '2025-03-14', distanceM: 5_000, runs: 1 });
    expect(weeks.at(-1)!.distanceM).toBe(last7DaysM);
    expect(weeks.filter((week) => week.distanceM > 0)).toHaveLength(2);
  });

  it('draws a steady runner flat on any weekday (calendar weeks would end in a half-run week)', () => {
    const steady: SummaryRun[] = [];
    for (let daysAgo = 90; daysAgo >= 0; daysAgo--) if (daysAgo % 7 !== 2) steady.push(run(daysAgo, 6));
    for (let shift = 0; shift < 7; shift++) {
      const now = new Date(NOW.getTime() + shift * DAY_MS);
      const moved = steady.map((entry) => ({ ...entry, startUtc: new Date(entry.startUtc.getTime() + shift * DAY_MS) }));
      const { weeks } = loadSummary(moved, 'UTC', now, { syncedThrough: now });
      expect(new Set(weeks.map((week) => week.distanceM))).toEqual(new Set([36_000]));
    }
  });

  it('says nothing it cannot know: no base, no ratio, no runs', () => {
    const empty = loadSummary([], 'UTC', NOW);
    expect(empty).toMatchObject({
      last7DaysM: 0,
      previous4WeeksMeanM: 0,
      changeRatio: null,
      biggestRecentRun: null,
      acwr: null,
      lastRunAt: null,
    });
    const newRunner = loadSummary([run(2, 10)], 'UTC', NOW);
    expect(newRunner.changeRatio).toBeNull();
    expect(newRunner.biggestRecentRun).toMatchObject({ ratio: null, previousLongestM: null });
  });

  it('ends the window at the last day the history is known to be complete, like the rules do', () => {
    const runs = [...everyOtherDay(40, 6, 10), run(4, 20)];
    const latestRunDay = loadSummary(runs, 'UTC', NOW);
    expect(latestRunDay).toMatchObject({ windowEnd: '2025-03-16', windowEndsToday: false });
    // days 10 … 4 ago: runs on days 10, 8, 6 and the 20 km on day 4
    expect(latestRunDay.last7DaysM).toBe(50_000);
    expect(latestRunDay.biggestRecentRun?.distanceM).toBe(20_000);

    const syncedToday = loadSummary(runs, 'UTC', NOW, { syncedThrough: NOW });
    // days 6 … 0 ago: the runs on days 6 and 4; the days since are known rest days
    expect(syncedToday).toMatchObject({ windowEnd: '2025-03-20', windowEndsToday: true, last7DaysM: 30_000 });
  });

  it('ignores runs after "now" (a clock skew or a future-dated file)', () => {
    const summary = loadSummary([run(1, 10), run(-2, 50)], 'UTC', NOW);
    expect(summary.last7DaysM).toBe(10_000);
  });

  it('shows the last point of the full ACWR series, across a change of the clocks', () => {
    const runs: SummaryRun[] = [];
    for (let daysAgo = 160; daysAgo >= 1; daysAgo--) if (daysAgo % 3 !== 0) runs.push(run(daysAgo, 4 + (daysAgo % 5) * 2.5));
    const summary = loadSummary(runs, 'Europe/Oslo', NOW, { syncedThrough: NOW });
    const series = acwrSeries(runs, 'Europe/Oslo', { to: NOW });
    expect(summary.acwr).not.toBeNull();
    expect(summary.acwr).toBe(series.at(-1)!.ratio);
    expect(summary.weeks.reduce((sum, week) => sum + week.runs, 0)).toBe(
      runs.filter((entry) => entry.startUtc.getTime() > NOW.getTime() - 84 * DAY_MS).length,
    );
  });
});
