import { addDays, conditionsOf, evaluateOn, noteOf, run, STEADY_WEEK, weeks } from '../../test/factories';

// Six steady weeks from Monday 2025-01-06 (longest run 10 km on Sundays; the last on 2025-02-16).
const base = () => weeks('2025-01-06', 6, STEADY_WEEK);

describe('single-run-spike', () => {
  it('raises a caution for a run more than 10 % longer than the longest of the previous 30 days', () => {
    const spike = run('2025-02-18', 12, {}, 'spike');
    const [condition] = conditionsOf(evaluateOn('2025-02-18', [...base(), spike]), 'single-run-spike');
    expect(condition).toMatchObject({
      severity: 'caution',
      dedupeKey: 'run-spike',
      facts: { runId: 'spike', runDate: '2025-02-18', distanceM: 12000, previousLongestM: 10000, ratio: 1.2 },
    });
    expect(condition.message.headline).toBe('Your 12 km run on Tuesday was 20 % longer than anything in the 30 days before it (10 km).');
    expect(condition.message.suggestions.join(' ')).toMatch(/Cut the next 7 days by 20–30 %/);
    expect(condition.message.disclaimer).toMatch(/not medical advice/);
  });

  it('raises high for a run more than twice the previous longest', () => {
    const [condition] = conditionsOf(evaluateOn('2025-02-18', [...base(), run('2025-02-18', 21)]), 'single-run-spike');
    expect(condition.severity).toBe('high');
    expect(condition.message.headline).toMatch(/2\.1 times as long as anything/);
  });

  it('stays at caution for exactly twice the previous longest, and silent at exactly 1.10', () => {
    expect(conditionsOf(evaluateOn('2025-02-18', [...base(), run('2025-02-18', 20)]), 'single-run-spike')[0].severity).toBe('caution');
    const atThreshold = evaluateOn('2025-02-18', [...base(), run('2025-02-18', 11, {}, 'eleven')]);
    expect(conditionsOf(atThreshold, 'single-run-spike')).toEqual([]);
    expect(noteOf(atThreshold, 'single-run-spike').reason).toContain('run eleven: 1.1 × the longest of the previous 30 days');
  });

  it('stays silent, saying why, for a new runner without 30 days of history', () => {
    const runs = [...weeks('2025-02-03', 2, STEADY_WEEK), run('2025-02-18', 25, {}, 'early')];
    const evaluation = evaluateOn('2025-02-18', runs);
    expect(conditionsOf(evaluation, 'single-run-spike')).toEqual([]);
    expect(noteOf(evaluation, 'single-run-spike').reason).toContain('run early: needs 30 days of history before it (has 15)');
  });

  it('holds the episode for 7 days after the run, then clears', () => {
    const runs = [...base(), run('2025-02-18', 13, {}, 'spike')];
    expect(conditionsOf(evaluateOn(addDays('2025-02-18', 6), runs), 'single-run-spike')).toHaveLength(1);
    const later = evaluateOn(addDays('2025-02-18', 7), runs);
    expect(conditionsOf(later, 'single-run-spike')).toEqual([]);
    expect(noteOf(later, 'single-run-spike').status).toBe('clear');
  });

  it('counts the 30 days in local days (Pacific/Auckland is a day ahead of UTC)', () => {
    const timezone = 'Pacific/Auckland';
    const runs = [
      ...weeks('2024-12-30', 4, STEADY_WEEK, { timezone }),
      // 31 local days before the new run, though only 30 UTC dates before it.
      run('2025-01-31', 20, { timezone, time: '23:00' }, 'old-long'),
      ...weeks('2025-02-03', 4, STEADY_WEEK, { timezone }),
      run('2025-03-03', 15, { timezone, time: '06:00' }, 'monday'),
    ];
    const [condition] = conditionsOf(evaluateOn('2025-03-03', runs, { timezone }), 'single-run-spike');
    expect(condition.facts).toMatchObject({ runDate: '2025-03-03', previousLongestM: 10000, ratio: 1.5 });
  });
});
