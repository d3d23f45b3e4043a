import type { EnginePainReport } from '../types';
import { conditionsOf, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../../test/factories';

// Steady running from Monday 2025-03-03; the runs that matter here are added by each test.
const base = () => weeks('2025-03-03', 4, STEADY_WEEK);
const pain = (runId: string, onset: Partial<EnginePainReport> = {}): EnginePainReport => ({
  runId,
  hasPain: true,
  location: 'lateral_knee',
  ...onset,
});

describe('pain-earlier', () => {
  const runs = () => [
    ...base(),
    run('2025-04-01', 8, {}, 'a'),
    run('2025-04-03', 8, {}, 'b'),
    run('2025-04-05', 8, {}, 'c'),
    run('2025-04-06', 8, {}, 'd'),
  ];

  it('warns when the pain starts at least 10 % earlier than in the previous report at that place', () => {
    const evaluation = evaluateOn('2025-04-05', runs(), { pain: [pain('a', { onsetM: 6500 }), pain('c', { onsetM: 5000 })] });
    const [condition] = conditionsOf(evaluation, 'pain-earlier');
    expect(condition).toMatchObject({
      severity: 'warning',
      dedupeKey: 'pain-lateral_knee',
      facts: { location: 'lateral_knee', earlierByFraction: 0.231, comparedBy: 'distance', painfulRunsInRow: 1, earlyOnset: false },
    });
    expect(condition.facts.reports).toEqual([
      { runId: 'a', date: '2025-04-01', onsetM: 6500, onsetS: null },
      { runId: 'c', date: '2025-04-05', onsetM: 5000, onsetS: null },
    ]);
    expect(condition.message.headline).toBe(
      'Your outer-knee pain is starting earlier: at 5 km on Saturday after 6.5 km the time before (23 % sooner).',
    );
    expect(condition.message.suggestions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/stop your run at the point the pain starts/i),
        expect.stringMatching(/bridges with a band/),
      ]),
    );
  });

  it('warns at exactly 10 % earlier but not at 7 %', () => {
    const exactly = evaluateOn('2025-04-05', runs(), { pain: [pain('a', { onsetM: 6000 }), pain('c', { onsetM: 5400 })] });
    expect(conditionsOf(exactly, 'pain-earlier')[0].severity).toBe('warning');
    const slightly = evaluateOn('2025-04-05', runs(), { pain: [pain('a', { onsetM: 6500 }), pain('c', { onsetM: 6000 })] });
    expect(conditionsOf(slightly, 'pain-earlier')).toEqual([]);
    expect(noteOf(slightly, 'pain-earlier').reason).toBe('lateral_knee: no pattern');
  });

  it('compares time into the run when the reports give no distance', () => {
    const evaluation = evaluateOn('2025-04-05', runs(), { pain: [pain('a', { onsetS: 2400 }), pain('c', { onsetS: 2000 })] });
    expect(conditionsOf(evaluation, 'pain-earlier')[0].facts).toMatchObject({ comparedBy: 'time', earlierByFraction: 0.167 });
  });

  it('is high when the pain starts within the first 2 km or 15 minutes', () => {
    for (const onset of [{ onsetM: 2000 }, { onsetS: 900 }, { onsetM: 1500, onsetS: 1200 }]) {
      const evaluation = evaluateOn('2025-04-05', runs(), { pain: [pain('c', onset)] });
      expect(conditionsOf(evaluation, 'pain-earlier')[0]).toMatchObject({ severity: 'high', facts: { earlyOnset: true } });
    }
    const notEarly = evaluateOn('2025-04-05', runs(), { pain: [pain('c', { onsetM: 2100, onsetS: 950 })] });
    expect(conditionsOf(notEarly, 'pain-earlier')).toEqual([]);
  });

  it('is high after pain on three runs in a row, even at the same point', () => {
    const reports = [pain('b', { onsetM: 7000 }), pain('c', { onsetM: 7000 }), pain('d', { onsetM: 7000 })];
    const [condition] = conditionsOf(evaluateOn('2025-04-06', runs(), { pain: reports }), 'pain-earlier');
    expect(condition).toMatchObject({ severity: 'high', facts: { painfulRunsInRow: 3 } });
    expect(condition.message.headline).toBe('You have had outer-knee pain on your last 3 runs in a row.');
  });

  it('ends the episode when a later run is reported pain-free', () => {
    const reports = [pain('a', { onsetM: 6500 }), pain('b', { onsetM: 5000 }), { runId: 'c', hasPain: false }];
    const evaluation = evaluateOn('2025-04-05', runs(), { pain: reports });
    expect(conditionsOf(evaluation, 'pain-earlier')).toEqual([]);
    expect(noteOf(evaluation, 'pain-earlier')).toEqual({
      rule: 'pain-earlier',
      status: 'clear',
      reason: 'lateral_knee: latest run pain-free',
    });
  });

  it('forgets reports older than 21 days', () => {
    const reports = [pain('a', { onsetM: 6500 }), pain('c', { onsetM: 5000 })];
    expect(conditionsOf(evaluateOn('2025-04-21', runs(), { pain: reports }), 'pain-earlier')).toHaveLength(1);
    expect(conditionsOf(evaluateOn('2025-04-22', runs(), { pain: reports }), 'pain-earlier')).toEqual([]);
  });

  it('keeps each place its own episode', () => {
    const reports = [pain('a', { onsetM: 6500 }), pain('b', { location: 'hip', onsetM: 1000 }), pain('c', { onsetM: 5000 })];
    const conditions = conditionsOf(evaluateOn('2025-04-05', runs(), { pain: reports }), 'pain-earlier');
    expect(conditions.map(({ dedupeKey, severity }) => ({ dedupeKey, severity }))).toEqual([
      { dedupeKey: 'pain-lateral_knee', severity: 'warning' },
      { dedupeKey: 'pain-hip', severity: 'high' },
    ]);
  });

  it('is clear when no pain was reported in the window', () => {
    expect(noteOf(evaluateOn('2025-04-05', runs()), 'pain-earlier')).toEqual({
      rule: 'pain-earlier',
      status: 'clear',
      reason: 'no pain reported in the last 21 days',
    });
  });
});
