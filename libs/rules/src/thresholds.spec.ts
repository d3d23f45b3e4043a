import { DomainError } from '@deload/domain';
import { DEFAULT_THRESHOLDS, parseThresholds } from './thresholds';

function problemOf(overrides: unknown): string {
  try {
    parseThresholds(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('invalid');
    return (error as Error).message;
  }
  throw new Error('expected the thresholds to be rejected');
}

describe('rule thresholds', () => {
  it('default to DESIGN.md → Rules', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      cooldownDays: 7,
      'single-run-spike': { enabled: true, caution: 1.1, high: 2, minHistoryDays: 30 },
      'weekly-increase': { caution: 1.3, minBaseWeeklyM: 10_000 },
      'pain-earlier': { windowDays: 21, consecutiveReports: 2, earlierFraction: 0.1, highOnsetM: 2_000, highOnsetS: 900, highRunsInRow: 3 },
      'worn-shoes': { infoM: 500_000, warningM: 800_000, rotationShare: 0.9 },
      'cadence-drop': { caution: 0.05, recentRuns: 3, baselineDays: 42 },
      'downhill-spike': { caution: 1.5, minLossM: 300 },
      monotony: { info: 2, medianWeeks: 8 },
    });
    expect(parseThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
  });

  it('take a runner’s partial overrides over the defaults', () => {
    const thresholds = parseThresholds({ 'weekly-increase': { caution: 1.5 }, monotony: { enabled: false }, cooldownDays: 3 });
    expect(thresholds['weekly-increase']).toEqual({ enabled: true, caution: 1.5, minBaseWeeklyM: 10_000 });
    expect(thresholds.monotony.enabled).toBe(false);
    expect(thresholds.cooldownDays).toBe(3);
    expect(thresholds['single-run-spike']).toEqual(DEFAULT_THRESHOLDS['single-run-spike']);
  });

  it('name every problem with its path and the value given', () => {
    expect(problemOf({ 'weekly-increase': { caution: 0.8 }, 'worn-shoes': { infoM: 'lots' }, cooldownDays: 2.5 })).toBe(
      'invalid rule thresholds: cooldownDays must be a whole number of days (got 2.5); weekly-increase.caution must be greater than 1 (got 0.8); worn-shoes.infoM must be a number (got "lots")',
    );
  });

  it('reject unknown settings and rules rather than ignore a typo', () => {
    expect(problemOf({ 'weekly-increse': {} })).toBe(
      'invalid rule thresholds: unknown setting "weekly-increse" (rules are single-run-spike, weekly-increase, pain-earlier, worn-shoes, cadence-drop, downhill-spike, monotony; or cooldownDays)',
    );
    expect(problemOf({ monotony: { treshold: 3 } })).toBe('invalid rule thresholds: unknown setting "monotony.treshold"');
  });

  it('reject contradictory levels and a non-object', () => {
    expect(problemOf({ 'single-run-spike': { caution: 1.5, high: 1.4 } })).toBe(
      'invalid rule thresholds: single-run-spike.high must be greater than single-run-spike.caution',
    );
    expect(problemOf({ 'worn-shoes': { warningM: 400_000 } })).toBe(
      'invalid rule thresholds: worn-shoes.warningM must be greater than worn-shoes.infoM',
    );
    expect(problemOf([1, 2])).toBe('invalid rule thresholds: must be a JSON object');
  });
});
