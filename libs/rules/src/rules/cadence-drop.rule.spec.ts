import { conditionsOf, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../../test/factories';

// Six weeks at 170 steps/min and 5:30 /km from Monday 2025-03-03, then the three runs that matter.
const base = () => weeks('2025-03-03', 6, STEADY_WEEK, { cadence: 170 });
const lastThree = (cadence: number, spec = {}) => [
  run('2025-04-14', 7, { cadence, ...spec }, 'x'),
  run('2025-04-16', 7, { cadence, ...spec }, 'y'),
  run('2025-04-18', 6, { cadence, ...spec }, 'z'),
];

describe('cadence-drop', () => {
  it('raises a caution when the last 3 runs average at least 5 % fewer steps than usual at that pace', () => {
    const [condition] = conditionsOf(evaluateOn('2025-04-18', [...base(), ...lastThree(160)]), 'cadence-drop');
    expect(condition).toMatchObject({
      severity: 'caution',
      dedupeKey: 'cadence',
      facts: {
        recentCadenceSpm: 160,
        baselineCadenceSpm: 170,
        dropFraction: 0.059,
        runIds: ['x', 'y', 'z'],
        firstRunDate: '2025-04-14',
        lastRunDate: '2025-04-18',
      },
    });
    expect(condition.message.headline).toBe(
      'Your step rate over your last 3 runs was 6 % lower than usual at the same pace (160 against 170 steps a minute).',
    );
  });

  it('raises it at exactly 5 % and not at 4 %', () => {
    expect(conditionsOf(evaluateOn('2025-04-18', [...base(), ...lastThree(161.5)]), 'cadence-drop')).toHaveLength(1);
    const small = evaluateOn('2025-04-18', [...base(), ...lastThree(163.2)]);
    expect(conditionsOf(small, 'cadence-drop')).toEqual([]);
    expect(noteOf(small, 'cadence-drop').reason).toBe(
      'last 3 runs 163.2 spm: within 5 % of the highest cadence of the 42 days before (170 spm)',
    );
  });

  it('compares like with like: easy runs against easy runs, not against faster sessions with a higher step rate', () => {
    const mixed = [
      ...weeks('2025-03-03', 6, [7, 0, 0, 0, 6, 0, 10], { cadence: 162, paceSPerKm: 360 }),
      ...weeks('2025-03-03', 6, [0, 0, 8, 0, 0, 0, 0], { cadence: 178, paceSPerKm: 290 }),
    ];
    const evaluation = evaluateOn('2025-04-18', [...mixed, ...lastThree(160, { paceSPerKm: 360 })]);
    expect(conditionsOf(evaluation, 'cadence-drop')).toEqual([]);
    expect(noteOf(evaluation, 'cadence-drop').reason).toBe('last 3 runs 160 spm vs 162 spm at similar pace (1.2 % lower)');
  });

  it('compares only runs at a similar pace: much slower runs with no comparable baseline are not judged', () => {
    const evaluation = evaluateOn('2025-04-18', [...base(), ...lastThree(150, { paceSPerKm: 420 })]);
    expect(noteOf(evaluation, 'cadence-drop')).toEqual({
      rule: 'cadence-drop',
      status: 'insufficient-data',
      reason: 'run x: 0 runs at a similar pace in the 42 days before (needs 3)',
    });
  });

  it('is clear without 3 recent runs that record cadence', () => {
    const evaluation = evaluateOn('2025-04-18', [...base(), ...lastThree(0).map((r) => ({ ...r, avgCadenceSpm: null }))]);
    // The baseline runs still count as "recent" for three weeks; a month later nothing is recent.
    expect(noteOf(evaluateOn('2025-05-20', [...base()]), 'cadence-drop')).toMatchObject({
      status: 'clear',
      reason: 'fewer than 3 runs with cadence in the last 21 days',
    });
    expect(conditionsOf(evaluation, 'cadence-drop')).toEqual([]);
  });
});
