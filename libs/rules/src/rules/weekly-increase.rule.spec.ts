import { at, conditionsOf, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../../test/factories';

// Four 30 km weeks from Monday 2025-01-06, then the week evaluated: Monday 2025-02-03 to Sunday 2025-02-09.
const baseline = (spec = {}) => weeks('2025-01-06', 4, STEADY_WEEK, spec);
const week = (pattern: number[], spec = {}) => weeks('2025-02-03', 1, pattern, spec);

describe('weekly-increase', () => {
  it('raises a caution when the last 7 days are more than 30 % above the mean week of the 28 days before', () => {
    const evaluation = evaluateOn('2025-02-09', [...baseline(), ...week([10, 0, 10, 0, 8, 0, 14])]);
    const [condition] = conditionsOf(evaluation, 'weekly-increase');
    expect(condition).toMatchObject({
      severity: 'caution',
      dedupeKey: 'load',
      facts: { acuteM: 42000, baselineWeeklyM: 30000, ratio: 1.4, windowStart: '2025-02-03', windowEnd: '2025-02-09' },
    });
    expect(condition.message.headline).toBe(
      'You ran 42 km in the last 7 days, 40 % more than your average week of 30 km over the 4 weeks before.',
    );
    expect(condition.message.suggestions[0]).toBe(
      'Cut the next 7 days by 20–30 % (about 29–34 km instead of the 42 km of the last 7 days).',
    );
  });

  it('writes distances in miles for a runner who uses miles, keeping the facts in metres', () => {
    const evaluation = evaluateOn('2025-02-09', [...baseline(), ...week([10, 0, 10, 0, 8, 0, 14])], { units: 'mi' });
    const [condition] = conditionsOf(evaluation, 'weekly-increase');
    expect(condition.message.headline).toBe(
      'You ran 26 mi in the last 7 days, 40 % more than your average week of 19 mi over the 4 weeks before.',
    );
    expect(condition.facts.acuteM).toBe(42000);
  });

  it('stays silent at exactly 1.30', () => {
    const evaluation = evaluateOn('2025-02-09', [...baseline(), ...week([9, 0, 9, 0, 8, 0, 13])]);
    expect(conditionsOf(evaluation, 'weekly-increase')).toEqual([]);
    expect(noteOf(evaluation, 'weekly-increase')).toMatchObject({
      status: 'clear',
      reason: expect.stringContaining('= 1.3, not above 1.3'),
    });
  });

  it('stays silent when the baseline is below 10 km a week', () => {
    const runs = [...weeks('2025-01-06', 4, [4, 0, 0, 0, 0, 0, 5]), ...week([10, 0, 10, 0, 0, 0, 10])];
    const evaluation = evaluateOn('2025-02-09', runs);
    expect(conditionsOf(evaluation, 'weekly-increase')).toEqual([]);
    expect(noteOf(evaluation, 'weekly-increase').reason).toBe('baseline 9 km a week is below 10 km: too small to compare');
  });

  it('needs 35 days of history: a new runner’s first weeks are not judged', () => {
    const runs = [...weeks('2025-01-07', 4, [7, 0, 6, 0, 10, 7, 0]), ...week([10, 0, 10, 0, 8, 0, 14])];
    const evaluation = evaluateOn('2025-02-09', runs);
    expect(noteOf(evaluation, 'weekly-increase')).toEqual({
      rule: 'weekly-increase',
      status: 'insufficient-data',
      reason: 'needs 35 days of history (has 34)',
    });
    expect(evaluation.judgedRules).not.toContain('weekly-increase');
  });

  it('counts weeks in local days: a Monday-morning run in Auckland belongs to that Monday’s week, not the UTC Sunday', () => {
    const timezone = 'Pacific/Auckland';
    const runs = [
      ...baseline({ timezone }),
      run('2025-02-03', 12, { timezone, time: '06:00' }),
      ...week([0, 0, 10, 0, 10, 0, 10], { timezone }),
    ];
    expect(at('2025-02-03', timezone, '06:00').toISOString()).toBe('2025-02-02T17:00:00.000Z');
    const [condition] = conditionsOf(evaluateOn('2025-02-09', runs, { timezone }), 'weekly-increase');
    expect(condition.facts).toMatchObject({ acuteM: 42000, baselineWeeklyM: 30000, windowStart: '2025-02-03' });
  });

  it('keeps a 167-hour spring DST week to its own days (Europe/Oslo, 2025-03-30)', () => {
    const timezone = 'Europe/Oslo';
    // Sunday 23:30 of the week before: inside "the last 168 hours", but not in the last 7 local days.
    const runs = [
      ...weeks('2025-02-24', 4, STEADY_WEEK, { timezone }),
      run('2025-03-23', 13, { timezone, time: '23:30' }),
      ...weeks('2025-03-24', 1, STEADY_WEEK, { timezone }),
    ];
    const evaluation = evaluateOn('2025-03-30', runs, { timezone });
    expect(conditionsOf(evaluation, 'weekly-increase')).toEqual([]);
    expect(noteOf(evaluation, 'weekly-increase').reason).toMatch(/^last 7 days 30 km ÷ baseline 33\.3 km a week/);
  });

  it('keeps a 169-hour autumn DST week whole (Europe/Oslo, 2025-10-26)', () => {
    const timezone = 'Europe/Oslo';
    // Monday 00:30 of the evaluated week: outside "the last 168 hours", but one of its 7 local days.
    const runs = [
      ...weeks('2025-09-22', 4, STEADY_WEEK, { timezone }),
      run('2025-10-20', 12, { timezone, time: '00:30' }),
      ...weeks('2025-10-20', 1, STEADY_WEEK, { timezone }),
    ];
    const [condition] = conditionsOf(evaluateOn('2025-10-26', runs, { timezone }), 'weekly-increase');
    expect(condition.facts).toMatchObject({ acuteM: 42000, windowStart: '2025-10-20', windowEnd: '2025-10-26' });
  });

  it('treats days after the last sync as unknown, not rest: the window ends at the last synced day', () => {
    const runs = [...baseline(), ...week([10, 0, 10, 0, 8, 0, 14])];
    const stale = evaluateOn('2025-02-12', runs, { syncedThrough: at('2025-02-09', 'UTC', '21:00') });
    expect(conditionsOf(stale, 'weekly-increase')[0].facts).toMatchObject({ acuteM: 42000, windowEnd: '2025-02-09' });
    // Synced through the 12th with no runs since: those three days really were rest.
    const synced = evaluateOn('2025-02-12', runs);
    expect(conditionsOf(synced, 'weekly-increase')).toEqual([]);
  });

  it('cannot judge after a week without synced data', () => {
    const runs = [...baseline(), ...week([10, 0, 10, 0, 8, 0, 14])];
    const evaluation = evaluateOn('2025-02-16', runs, { syncedThrough: at('2025-02-09', 'UTC', '21:00') });
    expect(noteOf(evaluation, 'weekly-increase')).toMatchObject({
      status: 'insufficient-data',
      reason: 'no synced data for the last 7 days: a gap is not a rest',
    });
    expect(evaluation.judgedRules).not.toContain('weekly-increase');
  });
});
