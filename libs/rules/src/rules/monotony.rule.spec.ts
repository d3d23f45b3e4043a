import { addDays, conditionsOf, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../../test/factories';

// Eight 30 km weeks with rest days from Monday 2025-01-06; then the week 2025-03-03 to 03-09.
const baseline = () => weeks('2025-01-06', 8, STEADY_WEEK);
const daily = (kms: number[]) => kms.map((km, day) => run(addDays('2025-03-03', day), km));

describe('monotony', () => {
  it('informs when every day of a heavier-than-usual week looks the same', () => {
    const [condition] = conditionsOf(evaluateOn('2025-03-09', [...baseline(), ...daily([6, 6.5, 6, 6.5, 6, 6.5, 7])]), 'monotony');
    expect(condition).toMatchObject({
      severity: 'info',
      dedupeKey: 'monotony',
      facts: { monotony: 18.17, weeklyM: 44500, medianWeeklyM: 30000, runDays: 7 },
    });
    expect(condition.message.headline).toBe(
      'Your last 7 days were very much alike (7 running days, monotony 18.2) at a higher load than usual: 45 km against a typical 30 km.',
    );
  });

  it('stays silent for a week with rest days, and for a uniform week that is not heavier than usual', () => {
    const varied = evaluateOn('2025-03-09', [...baseline(), ...daily([10, 0, 10, 0, 10, 0, 14])]);
    expect(conditionsOf(varied, 'monotony')).toEqual([]);
    expect(noteOf(varied, 'monotony').reason).toBe('monotony 1.12, not above 2');
    const light = evaluateOn('2025-03-09', [...baseline(), ...daily([4, 4, 4, 4, 4, 4, 4])]);
    expect(conditionsOf(light, 'monotony')).toEqual([]);
    expect(noteOf(light, 'monotony').reason).toBe('monotony ∞, week 28 km vs median 30 km');
  });

  it('needs 8 weeks of history', () => {
    const evaluation = evaluateOn('2025-03-09', [...weeks('2025-01-14', 7, [0, 7, 0, 6, 0, 10, 0]), ...daily([6, 6.5, 6, 6.5, 6, 6.5, 7])]);
    expect(noteOf(evaluation, 'monotony')).toEqual({
      rule: 'monotony',
      status: 'insufficient-data',
      reason: 'needs 56 days of history (has 54)',
    });
  });
});
