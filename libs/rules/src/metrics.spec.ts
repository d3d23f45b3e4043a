import { acwrSeries, singleRunRatios, weeklyDistanceSeries } from './metrics';
import { at, run, STEADY_WEEK, weeks } from '../test/factories';

describe('weeklyDistanceSeries', () => {
  it('sums local weeks starting on Monday, filling empty weeks', () => {
    const timezone = 'Pacific/Auckland';
    // Monday 06:00 in Auckland is Sunday in UTC: it still belongs to the week of that Monday.
    const runs = [
      run('2025-02-03', 10, { timezone, time: '06:00' }),
      run('2025-02-09', 5, { timezone }),
      run('2025-02-19', 8, { timezone }),
    ];
    expect(weeklyDistanceSeries(runs, timezone)).toEqual([
      { weekStart: '2025-02-03', distanceM: 15000, runs: 2 },
      { weekStart: '2025-02-10', distanceM: 0, runs: 0 },
      { weekStart: '2025-02-17', distanceM: 8000, runs: 1 },
    ]);
  });

  it('limits the series to a range', () => {
    const runs = weeks('2025-01-06', 4, STEADY_WEEK);
    const series = weeklyDistanceSeries(runs, 'UTC', { from: at('2025-01-13'), to: at('2025-01-26') });
    expect(series).toEqual([
      { weekStart: '2025-01-13', distanceM: 30000, runs: 4 },
      { weekStart: '2025-01-20', distanceM: 30000, runs: 4 },
    ]);
    expect(weeklyDistanceSeries([], 'UTC')).toEqual([]);
  });
});

describe('acwrSeries', () => {
  it('is near 1 for steady training and has no ratio during the first 35 days', () => {
    const points = acwrSeries(weeks('2025-01-06', 12, STEADY_WEEK), 'UTC');
    expect(points[0]).toMatchObject({ date: '2025-01-06', ratio: null });
    expect(points[34].ratio).toBeNull();
    expect(points[35].ratio).not.toBeNull();
    const last = points[points.length - 1];
    expect(last.date).toBe('2025-03-30');
    expect(last.ratio).toBeGreaterThan(0.9);
    expect(last.ratio).toBeLessThan(1.3);
  });

  it('rises after a week of double distance (uncoupled: the acute week is not in its own baseline)', () => {
    const runs = [
      ...weeks('2025-01-06', 8, STEADY_WEEK),
      ...weeks(
        '2025-03-03',
        1,
        STEADY_WEEK.map((km) => km * 2),
      ),
    ];
    const points = acwrSeries(runs, 'UTC', { from: at('2025-03-09'), to: at('2025-03-09') });
    expect(points).toHaveLength(1);
    expect(points[0].ratio).toBeGreaterThan(1.6);
    // Chronic load is the 28-day EWMA as of the day before the acute week: about 30 km / 7 a day.
    expect(points[0].chronicM).toBeGreaterThan(3800);
    expect(points[0].chronicM).toBeLessThan(4600);
  });
});

describe('singleRunRatios', () => {
  it('gives each run’s distance over the longest of the 30 days before it, once there is 30 days of history', () => {
    const runs = [...weeks('2025-01-06', 5, STEADY_WEEK), run('2025-02-11', 13, {}, 'long')];
    const ratios = singleRunRatios(runs, 'UTC');
    expect(ratios[0]).toMatchObject({ date: '2025-01-06', previousLongestM: null, ratio: null });
    expect(ratios[ratios.length - 1]).toEqual({ runId: 'long', date: '2025-02-11', distanceM: 13000, previousLongestM: 10000, ratio: 1.3 });
  });
});
