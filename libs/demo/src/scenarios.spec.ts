import { evaluate } from '@deload/rules';
import { demoRunners, DemoRunner } from './scenarios';

const ANCHOR_DAY = '2026-11-21';
/** The demo is dated from the day it is first run: any day of the week. */
const ANCHOR_DAYS = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'];

/** What the rules engine says about a demo runner at noon on the anchor day, its history synced until then. */
function conditionsOf(runner: DemoRunner, anchorDay = ANCHOR_DAY) {
  const asOf = new Date(`${anchorDay}T12:00:00Z`);
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
  const runners = Object.fromEntries(demoRunners(ANCHOR_DAY).map((runner) => [runner.story, runner]));

  it.each(ANCHOR_DAYS)('each tell exactly their story to the rules engine (demo first run on %s)', (anchorDay) => {
    const stories = Object.fromEntries(demoRunners(anchorDay).map((runner) => [runner.story, conditionsOf(runner, anchorDay)]));
    expect(stories).toEqual({
      steady: [],
      'long-run-spike': ['single-run-spike:caution'],
      'pain-earlier': ['pain-earlier:high'],
      'worn-shoes': ['worn-shoes:warning'],
    });
  });

  it('are the same for the same anchor day (so a second demo run finds the same runs)', () => {
    expect(JSON.stringify(demoRunners(ANCHOR_DAY))).toBe(JSON.stringify(demoRunners(ANCHOR_DAY)));
  });

  it('end before the anchor day, with runs on distinct days', () => {
    for (const runner of Object.values(runners)) {
      const keys = runner.runs.map((run) => run.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(Math.max(...runner.runs.map((run) => run.start.getTime()))).toBeLessThan(new Date('2026-11-20T23:00:00Z').getTime());
    }
  });

  it('gives the worn-shoes runner about 860 km on one pair', () => {
    const total = runners['worn-shoes'].runs.reduce((sum, run) => sum + run.distanceM, 0);
    expect(total).toBeGreaterThan(820_000);
    expect(total).toBeLessThan(900_000);
  });
});
