import { conditionsOf, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../../test/factories';

// Four weeks of 30 km at 5 m of descent per km (150 m a week) from Monday 2025-01-06; then the week 2025-02-03 to 02-09.
const baseline = () => weeks('2025-01-06', 4, STEADY_WEEK, { lossM: null }).map((r) => ({ ...r, elevationLossM: r.distanceM * 0.005 }));
const week = (lossPerKm: number) =>
  weeks('2025-02-03', 1, STEADY_WEEK).map((r) => ({ ...r, elevationLossM: (r.distanceM / 1000) * lossPerKm }));

describe('downhill-spike', () => {
  it('raises a caution when the week’s descent is above 1.5 × the usual week and above 300 m', () => {
    const [condition] = conditionsOf(evaluateOn('2025-02-09', [...baseline(), ...week(20)]), 'downhill-spike');
    expect(condition).toMatchObject({
      severity: 'caution',
      dedupeKey: 'descent',
      facts: { acuteLossM: 600, baselineWeeklyLossM: 150, ratio: 4 },
    });
    expect(condition.message.headline).toBe('You ran 600 m downhill in the last 7 days, 4 times your usual week (150 m).');
  });

  it('stays silent at exactly 300 m, and when the rise is not above 1.5 ×', () => {
    expect(conditionsOf(evaluateOn('2025-02-09', [...baseline(), ...week(10)]), 'downhill-spike')).toEqual([]);
    const hilly = weeks('2025-01-06', 4, STEADY_WEEK).map((r) => ({ ...r, elevationLossM: (r.distanceM / 1000) * 20 }));
    const evaluation = evaluateOn('2025-02-09', [...hilly, ...week(30)]);
    expect(conditionsOf(evaluation, 'downhill-spike')).toEqual([]);
    expect(noteOf(evaluation, 'downhill-spike').reason).toBe(
      'descent in the last 7 days 900 m vs 600 m a week before: not above 1.5 × and 300 m',
    );
  });

  it('is not judged when too much of the distance has no elevation data', () => {
    const treadmill = weeks('2025-01-06', 4, STEADY_WEEK, { lossM: null });
    const evaluation = evaluateOn('2025-02-09', [...treadmill, ...week(20)]);
    expect(noteOf(evaluation, 'downhill-spike')).toEqual({
      rule: 'downhill-spike',
      status: 'insufficient-data',
      reason: '80 % of the distance in the last 5 weeks has no elevation data',
    });
  });

  it('counts a first taste of the mountains from a flat baseline', () => {
    const flat = weeks('2025-01-06', 4, STEADY_WEEK, { lossM: 0 });
    const [condition] = conditionsOf(evaluateOn('2025-02-09', [...flat, run('2025-02-08', 15, { lossM: 700 })]), 'downhill-spike');
    expect(condition.facts).toMatchObject({ acuteLossM: 700, baselineWeeklyLossM: 0, ratio: null });
  });
});
