import { DateTime } from 'luxon';
import { evaluate } from '@deload/rules';
import { demoRunners, DemoRunner } from './scenarios';

/** Saturday 21 November 2026, 13:00 in Oslo. */
const ANCHOR = new Date('2026-11-21T12:00:00Z');
const DAY_MS = 86_400_000;
/**
 * The demo is dated from the instant it is first run: any day of the week, any time of day — at
 * noon, just after midnight (the day's run cannot be over yet) and late in the evening, Oslo time.
 */
const ANCHORS = [0, 1, 2, 3, 4, 5, 6].flatMap((days) =>
  ['T11:00:00Z', 'T23:20:00Z', 'T21:50:00Z'].map(
    (time) => new Date(`${DateTime.fromMillis(Date.UTC(2026, 10, 16) + days * DAY_MS).toISODate()}${time}`),
  ),
);

/** What the rules engine says about a demo runner when the demo runs, its history synced until then. */
function conditionsOf(runner: DemoRunner, asOf = ANCHOR) {
  const shoes = [...new Set(runner.runs.map((run) => run.shoe).filter((shoe): shoe is string => !!shoe))].map((name) => ({
    id: name,
    name,
    distanceM: runner.runs.filter((run) => run.shoe === name).reduce((sum, run) => sum + run.distanceM, 0),
  }));
  const evaluation = evaluate({
    profile: { timezone: runner.timezone },
    asOf,
    syncedThrough: asOf,
    runs: runner.runs.map((run) => ({
      id: run.key,
      startUtc: run.start,
      distanceM: run.distanceM,
      movingS: run.durationS,
      elevationLossM: 20,
      avgCadenceSpm: run.cadence * 2,
      shoeId: run.shoe ?? null,
    })),
    painReports: runner.pains.map((pain) => ({
      runId: pain.runKey,
      hasPain: true,
      location: pain.location,
      onsetM: pain.onsetM,
      severity: pain.severity,
    })),
    shoes,
  });
  return evaluation.conditions.map((condition) => `${condition.rule}:${condition.severity}`);
}

describe('demo runners', () => {
  const runners = Object.fromEntries(demoRunners(ANCHOR).map((runner) => [runner.story, runner]));

  it.each(ANCHORS)('each tell exactly their story to the rules engine (demo first run at %s)', (anchor) => {
    const stories = Object.fromEntries(demoRunners(anchor).map((runner) => [runner.story, conditionsOf(runner, anchor)]));
    expect(stories).toEqual({
      steady: [],
      'long-run-spike': ['single-run-spike:caution'],
      'pain-earlier': ['pain-earlier:high'],
      'worn-shoes': ['worn-shoes:warning'],
    });
  });

  it('are the same for the same anchor (so a second demo run finds the same runs)', () => {
    expect(JSON.stringify(demoRunners(ANCHOR))).toBe(JSON.stringify(demoRunners(ANCHOR)));
  });

  it.each(ANCHORS)('end on the day the demo runs in the runner’s zone, every run begun by then, on distinct days (%s)', (anchor) => {
    for (const runner of demoRunners(anchor)) {
      const keys = runner.runs.map((run) => run.key);
      expect(new Set(keys).size).toBe(keys.length);
      const last = Math.max(...runner.runs.map((run) => run.start.getTime()));
      expect(last).toBeLessThanOrEqual(anchor.getTime());
      const localDay = (instant: Date | number) => DateTime.fromMillis(+instant, { zone: runner.timezone }).toISODate();
      if (runner.story !== 'worn-shoes' && runner.story !== 'steady') expect(localDay(last)).toBe(localDay(anchor));
    }
  });

  it.each(ANCHORS)('keep the steady runner steady: the last 7 days within 5 % of the 4 weeks before (%s)', (anchor) => {
    const { runs } = demoRunners(anchor).find((runner) => runner.story === 'steady')!;
    const today = DateTime.fromJSDate(anchor, { zone: 'Europe/Oslo' }).startOf('day');
    const since = (days: number) => today.minus({ days }).toJSDate().getTime();
    const between = (from: number, to: number) =>
      runs.filter((run) => run.start.getTime() >= from && run.start.getTime() < to).reduce((sum, run) => sum + run.distanceM, 0);
    const last7 = between(since(6), anchor.getTime() + 1);
    const before = between(since(34), since(6)) / 4;
    expect(Math.abs(last7 / before - 1)).toBeLessThan(0.05);
  });

  it('gives the worn-shoes runner about 860 km on one pair', () => {
    const total = runners['worn-shoes'].runs.reduce((sum, run) => sum + run.distanceM, 0);
    expect(total).toBeGreaterThan(820_000);
    expect(total).toBeLessThan(900_000);
  });
});
