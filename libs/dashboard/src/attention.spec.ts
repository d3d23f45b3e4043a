import { DEFAULT_THRESHOLDS, parseThresholds } from '@deload/rules';
import { AttentionInput, attentionReasons, urgency } from './attention';
import type { LoadSummary } from './load-summary';

const NOW = new Date('2025-03-20T12:00:00Z');

function input(overrides: Partial<Omit<AttentionInput, 'summary'>> & { summary?: Partial<LoadSummary> } = {}): AttentionInput {
  return {
    openAlerts: [],
    pain: null,
    shoe: null,
    thresholds: DEFAULT_THRESHOLDS,
    now: NOW,
    ...overrides,
    summary: {
      windowEnd: '2025-03-20',
      windowEndsToday: true,
      last7DaysM: 30_000,
      previous4WeeksMeanM: 30_000,
      changeRatio: 1,
      biggestRecentRun: null,
      acwr: 1,
      weeks: [],
      lastRunAt: NOW,
      ...overrides.summary,
    },
  };
}

describe('attention', () => {
  it('has nothing to say about a steady week', () => {
    expect(attentionReasons(input())).toEqual([]);
  });

  it('flags a weekly jump above the runner’s caution only once there is a base to compare with', () => {
    expect(attentionReasons(input({ summary: { changeRatio: 1.45, previous4WeeksMeanM: 30_000 } }))).toEqual([
      { kind: 'weekly', text: 'last 7 days 45 % above the 4 weeks before' },
    ]);
    expect(attentionReasons(input({ summary: { changeRatio: 3, previous4WeeksMeanM: 5_000 } }))).toEqual([]);
    const relaxed = parseThresholds({ 'weekly-increase': { caution: 1.5 } });
    expect(attentionReasons(input({ thresholds: relaxed, summary: { changeRatio: 1.45 } }))).toEqual([]);
  });

  it('flags a run much longer than the 30 days before, unless the rule is off', () => {
    const summary = { biggestRecentRun: { runId: 'r', date: '2025-03-19', distanceM: 21_000, previousLongestM: 14_000, ratio: 1.5 } };
    expect(attentionReasons(input({ summary })).map((reason) => reason.kind)).toEqual(['spike']);
    const off = parseThresholds({ 'single-run-spike': { enabled: false } });
    expect(attentionReasons(input({ summary, thresholds: off }))).toEqual([]);
  });

  it('counts open alerts from caution up, recent pain, and worn shoes', () => {
    const reasons = attentionReasons(
      input({
        openAlerts: [
          { rule: 'monotony', severity: 'info' },
          { rule: 'pain-earlier', severity: 'warning' },
        ],
        pain: {
          report: {
            runId: 'r',
            startUtc: new Date('2025-03-18T07:00:00Z'),
            hasPain: true,
            location: 'lateral_knee',
            onsetM: 4000,
            onsetS: null,
            severity: 4,
          },
          trend: 'earlier',
        },
        shoe: {
          id: 's',
          name: 'Pegasus',
          source: 'manual',
          distanceM: 820_000,
          retireThresholdM: null,
          retired: false,
          state: 'worn',
          limitM: 800_000,
          noticeM: 500_000,
          share: 1.025,
        },
      }),
    );
    expect(reasons.map((reason) => reason.text)).toEqual([
      '1 open alert at caution or above',
      'pain arriving earlier in the run',
      'shoes “Pegasus” past their limit',
    ]);
  });

  it('forgets pain reported more than two weeks ago', () => {
    const old = {
      report: {
        runId: 'r',
        startUtc: new Date('2025-03-01T07:00:00Z'),
        hasPain: true,
        location: null,
        onsetM: null,
        onsetS: null,
        severity: 2,
      },
      trend: null,
    };
    expect(attentionReasons(input({ pain: old }))).toEqual([]);
  });

  it('ranks the worst open alert above the number of reasons', () => {
    const high = urgency([{ rule: 'single-run-spike', severity: 'high' }], []);
    const many = urgency(
      [{ rule: 'monotony', severity: 'info' }],
      [
        { kind: 'weekly', text: '' },
        { kind: 'pain', text: '' },
        { kind: 'shoes', text: '' },
      ],
    );
    expect(high).toBeGreaterThan(many);
    expect(urgency([], [])).toBe(0);
  });

  it('no longer asks for a look at an alert the runner or a coach dismissed, while an acknowledged one still counts', () => {
    const dismissed = { rule: 'single-run-spike', severity: 'high', response: 'dismissed' } as const;
    const acknowledged = { rule: 'pain-earlier', severity: 'warning', response: 'acknowledged' } as const;
    expect(attentionReasons(input({ openAlerts: [dismissed] }))).toEqual([]);
    expect(urgency([dismissed], [])).toBe(0);
    expect(attentionReasons(input({ openAlerts: [dismissed, acknowledged] }))).toEqual([
      { kind: 'alerts', text: '1 open alert at caution or above' },
    ]);
  });
});
