import { alertContent, DEFAULT_DISCLAIMER, StoredAlert } from './alert-content';

const message = {
  headline: 'Your 24 km run on Sunday was 45 % longer than anything in the 30 days before it (16.6 km).',
  explanation: 'In a study of 5,205 runners…',
  suggestions: ['Cut the next 7 days by 20–30 %.', 'Keep the runs easy and flat.'],
  disclaimer: 'This is a suggestion based on your training log, not medical advice.',
};

function alert(overrides: Partial<StoredAlert>): StoredAlert {
  return { rule: 'single-run-spike', severity: 'caution', facts: {}, message, ...overrides };
}

describe('alertContent', () => {
  it('says what and how much in the subject of a long-run spike, in the runner units', () => {
    const spike = alert({
      facts: { runId: 'r1', runDate: '2025-03-09', distanceM: 24_000, previousLongestM: 16_552, ratio: 1.45, lookbackDays: 30 },
    });
    const km = alertContent(spike, 'km');
    expect(km.subject).toBe('Your long run was 45 % longer than anything in the last 30 days');
    expect(km.facts).toEqual([
      { label: 'Run', value: '24 km, Sunday 9 March' },
      { label: 'Longest run in the 30 days before', value: '17 km' },
      { label: 'Longer by', value: '45 %' },
    ]);
    expect(alertContent(spike, 'mi').facts[0].value).toBe('15 mi, Sunday 9 March');
    expect(alertContent({ ...spike, facts: { ...spike.facts, distanceM: 9_000, ratio: 1.2 } }, 'mi').subject).toBe(
      'Your 5.6 mi run was 20 % longer than anything in the last 30 days',
    );
  });

  it('says "times as long" for a high spike', () => {
    const high = alert({ severity: 'high', facts: { distanceM: 21_100, previousLongestM: 10_000, ratio: 2.11 } });
    expect(alertContent(high, 'km').subject).toBe('Your long run was 2.1 times as long as anything in the last 30 days');
    expect(alertContent(high, 'km').severityLabel).toBe('High');
  });

  it('compares this week with the usual one for a weekly increase', () => {
    const weekly = alert({ rule: 'weekly-increase', facts: { acuteM: 52_000, baselineWeeklyM: 38_000, ratio: 1.368 } });
    expect(alertContent(weekly, 'km').subject).toBe('You ran 37 % more this week than usual (52 km against 38 km)');
    expect(alertContent(weekly, 'km').facts.map((fact) => fact.value)).toEqual(['52 km', '38 km', '+37 %']);
  });

  it('lists each pain report with its onset for pain starting earlier', () => {
    const pain = alert({
      rule: 'pain-earlier',
      severity: 'warning',
      facts: {
        location: 'lateral_knee',
        reports: [
          { runId: 'a', date: '2025-03-03', onsetM: 6000, onsetS: null },
          { runId: 'b', date: '2025-03-05', onsetM: 5000, onsetS: null },
          { runId: 'c', date: '2025-03-07', onsetM: null, onsetS: 1500 },
        ],
        earlierByFraction: 0.167,
        painfulRunsInRow: 2,
        earlyOnset: false,
      },
    });
    const content = alertContent(pain, 'km');
    expect(content.subject).toBe('Your outer-knee pain is starting earlier in each run');
    expect(content.facts).toEqual([
      { label: 'Pain on Monday 3 March', value: 'from 6 km' },
      { label: 'Pain on Wednesday 5 March', value: 'from 5 km' },
      { label: 'Pain on Friday 7 March', value: 'from 25 min' },
      { label: 'Runs in a row with pain', value: '2' },
      { label: 'Earlier each time by at least', value: '17 %' },
    ]);
    expect(alertContent({ ...pain, severity: 'high', facts: { ...pain.facts, painfulRunsInRow: 3 } }, 'km').subject).toBe(
      'Outer-knee pain on 3 runs in a row: time to ease off',
    );
  });

  it('falls back to the engine headline and the standard disclaimer when the facts are not what it knows', () => {
    const odd = alert({ facts: { something: 'new' }, message: { headline: 'A new rule fired.' } });
    const content = alertContent(odd, 'km');
    expect(content.subject).toBe('A new rule fired');
    expect(content.facts).toEqual([]);
    expect(content.suggestions).toEqual([]);
    expect(content.disclaimer).toBe(DEFAULT_DISCLAIMER);
  });
});
