import { DomainError } from '@deload/domain';
import { evaluate, windowStart } from './engine';
import { parseThresholds } from './thresholds';
import { addDays, at, endOfDay, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../test/factories';

describe('evaluate', () => {
  it('finds nothing, day after day, in half a year of ordinary steady training', () => {
    const runs = weeks('2025-01-06', 26, [8, 0, 10, 0, 8, 0, 14]);
    const shoes = [{ id: 'peg', name: 'Pegasus', distanceM: 200_000 }];
    for (let day = 0; day < 26 * 7; day++) {
      const evaluation = evaluateOn(addDays('2025-01-06', day), runs, { shoes });
      expect(evaluation.conditions).toEqual([]);
    }
  });

  it('explains each rule’s verdict', () => {
    const evaluation = evaluateOn('2025-03-30', weeks('2025-01-06', 12, STEADY_WEEK));
    expect(evaluation.date).toBe('2025-03-30');
    expect(evaluation.notes.map((note) => [note.rule, note.status])).toEqual([
      ['single-run-spike', 'clear'],
      ['weekly-increase', 'clear'],
      ['pain-earlier', 'clear'],
      ['worn-shoes', 'clear'],
      ['cadence-drop', 'clear'],
      ['downhill-spike', 'clear'],
      ['monotony', 'clear'],
    ]);
    expect(evaluation.judgedRules).toHaveLength(7);
  });

  it('skips a rule the runner turned off, which then counts as judged (its alerts resolve)', () => {
    const runs = [...weeks('2025-01-06', 4, STEADY_WEEK), ...weeks('2025-02-03', 1, [10, 0, 10, 0, 8, 0, 14])];
    const evaluation = evaluateOn('2025-02-09', runs, { thresholds: { 'weekly-increase': { enabled: false } } });
    expect(evaluation.conditions.map((condition) => condition.rule)).not.toContain('weekly-increase');
    expect(noteOf(evaluation, 'weekly-increase')).toEqual({
      rule: 'weekly-increase',
      status: 'disabled',
      reason: 'turned off in this runner’s thresholds',
    });
    expect(evaluation.judgedRules).toContain('weekly-increase');
  });

  it('reads only its window: 10 years of history give the same verdict as the last 12 weeks', () => {
    const recent = [...weeks('2025-01-06', 12, STEADY_WEEK), run('2025-04-01', 13)];
    const decade = [...weeks('2015-01-05', 520, [5, 0, 5, 0, 5, 0, 25]), ...recent];
    const input = (runs: typeof recent) => ({
      profile: { timezone: 'UTC' },
      asOf: endOfDay('2025-04-01'),
      syncedThrough: endOfDay('2025-04-01'),
      historyStart: at('2015-01-05'),
      runs,
    });
    const fromDecade = evaluate(input(decade));
    expect(fromDecade).toEqual(evaluate(input(recent)));
    expect(fromDecade.conditions.map((condition) => condition.rule)).toEqual(['single-run-spike']);
  });

  it('ignores runs after the instant evaluated', () => {
    const runs = [...weeks('2025-01-06', 6, STEADY_WEEK), run('2025-02-18', 25)];
    expect(evaluateOn('2025-02-17', runs).conditions).toEqual([]);
  });

  it('rejects an unknown time zone', () => {
    expect(() => evaluate({ profile: { timezone: 'Europe/Olso', thresholds: parseThresholds({}) }, asOf: new Date(), runs: [] })).toThrow(
      DomainError,
    );
  });

  it('gives the start of its window in the runner’s zone', () => {
    expect(windowStart(new Date('2025-04-01T10:00:00Z'), 'Europe/Oslo').toISOString()).toBe('2025-01-07T23:00:00.000Z');
  });
});
