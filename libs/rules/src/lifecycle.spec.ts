import { RULE_IDS, type RuleId, type Severity } from '@deload/domain';
import { AlertSnapshot, decideLifecycle, LifecycleInput } from './lifecycle';
import { DEFAULT_THRESHOLDS } from './thresholds';
import type { Condition } from './types';

const ALL_RULES: RuleId[] = [...RULE_IDS];

function condition(rule: RuleId, severity: Severity, dedupeKey = 'k'): Condition {
  return {
    rule,
    severity,
    dedupeKey,
    facts: {},
    message: { headline: `${rule} ${severity}`, explanation: '', suggestions: [], disclaimer: '' },
  };
}

function alert(
  id: string,
  rule: RuleId,
  severity: Severity,
  notified: { day: number; severity?: Severity } | null,
  extra: Partial<AlertSnapshot> = {},
): AlertSnapshot {
  return {
    id,
    rule,
    dedupeKey: 'k',
    state: 'open',
    severity,
    lastNotifyDay: notified?.day ?? null,
    lastNotifySeverity: notified ? (notified.severity ?? severity) : null,
    ...extra,
  };
}

function decide(input: Partial<LifecycleInput>) {
  return decideLifecycle({
    today: 100,
    conditions: [],
    judgedRules: ALL_RULES,
    alerts: [],
    lastEmailDay: null,
    thresholds: DEFAULT_THRESHOLDS,
    ...input,
  });
}

describe('decideLifecycle', () => {
  it('opens and emails a new condition', () => {
    expect(decide({ conditions: [condition('weekly-increase', 'caution')] })).toEqual({
      open: [{ condition: condition('weekly-increase', 'caution'), notify: true }],
      refresh: [],
      resolve: [],
    });
  });

  it('refreshes an open alert without emailing it again within the cooldown', () => {
    const decision = decide({
      conditions: [condition('weekly-increase', 'caution')],
      alerts: [alert('a1', 'weekly-increase', 'caution', { day: 94 })],
      lastEmailDay: 94,
    });
    expect(decision).toEqual({
      open: [],
      refresh: [{ alertId: 'a1', condition: condition('weekly-increase', 'caution'), notify: false }],
      resolve: [],
    });
  });

  it('emails it again once the 7-day cooldown has passed', () => {
    const decision = decide({
      conditions: [condition('weekly-increase', 'caution')],
      alerts: [alert('a1', 'weekly-increase', 'caution', { day: 93 })],
      lastEmailDay: 93,
    });
    expect(decision.refresh[0].notify).toBe(true);
  });

  it('emails again at once when the severity rises, but not when it falls', () => {
    const rising = decide({
      conditions: [condition('pain-earlier', 'high')],
      alerts: [alert('a1', 'pain-earlier', 'warning', { day: 99 })],
      lastEmailDay: 99,
    });
    expect(rising.refresh[0]).toMatchObject({ alertId: 'a1', notify: true });
    const falling = decide({
      conditions: [condition('pain-earlier', 'warning')],
      alerts: [alert('a1', 'pain-earlier', 'high', { day: 99 })],
      lastEmailDay: 99,
    });
    expect(falling.refresh[0]).toMatchObject({ alertId: 'a1', notify: false });
  });

  it('resolves an open alert whose rule judged and no longer sees the condition', () => {
    expect(decide({ alerts: [alert('a1', 'weekly-increase', 'caution', { day: 90 })] }).resolve).toEqual(['a1']);
  });

  it('leaves an open alert alone while its rule cannot judge (no synced data)', () => {
    const decision = decide({
      alerts: [alert('a1', 'weekly-increase', 'caution', { day: 90 })],
      judgedRules: ALL_RULES.filter((rule) => rule !== 'weekly-increase'),
    });
    expect(decision).toEqual({ open: [], refresh: [], resolve: [] });
  });

  it('sends at most one alert email a day: the most severe, the others wait', () => {
    const conditions = [condition('monotony', 'info'), condition('weekly-increase', 'caution'), condition('pain-earlier', 'warning')];
    const decision = decide({ conditions });
    expect(decision.open.map(({ condition, notify }) => [condition.rule, notify])).toEqual([
      ['monotony', false],
      ['weekly-increase', false],
      ['pain-earlier', true],
    ]);
    const laterThatDay = decide({ conditions: [condition('weekly-increase', 'caution')], lastEmailDay: 100 });
    expect(laterThatDay.open[0].notify).toBe(false);
    const nextDay = decide({ today: 101, conditions: [condition('weekly-increase', 'caution')], lastEmailDay: 100 });
    expect(nextDay.open[0].notify).toBe(true);
  });

  it('always sends high alerts, which then take the day’s slot', () => {
    const decision = decide({
      conditions: [
        condition('weekly-increase', 'caution'),
        condition('single-run-spike', 'high', 'run-1'),
        condition('pain-earlier', 'high'),
      ],
      lastEmailDay: 100,
    });
    expect(decision.open.map(({ condition, notify }) => [condition.rule, notify])).toEqual([
      ['weekly-increase', false],
      ['single-run-spike', true],
      ['pain-earlier', true],
    ]);
  });

  it('does not email a condition that flaps off and on within the cooldown', () => {
    const resolved = alert('old', 'weekly-increase', 'caution', { day: 97 }, { state: 'resolved' });
    expect(decide({ conditions: [condition('weekly-increase', 'caution')], alerts: [resolved] }).open[0].notify).toBe(false);
    expect(decide({ today: 104, conditions: [condition('weekly-increase', 'caution')], alerts: [resolved] }).open[0].notify).toBe(true);
  });

  it('tells of an info alert once per episode, and of worn shoes again after 28 days only', () => {
    const info = decide({
      today: 130,
      conditions: [condition('monotony', 'info')],
      alerts: [alert('m', 'monotony', 'info', { day: 100 })],
    });
    expect(info.refresh[0].notify).toBe(false);
    const shoesAfter20 = decide({
      today: 120,
      conditions: [condition('worn-shoes', 'warning')],
      alerts: [alert('s', 'worn-shoes', 'warning', { day: 100 })],
    });
    expect(shoesAfter20.refresh[0].notify).toBe(false);
    const shoesAfter28 = decide({
      today: 128,
      conditions: [condition('worn-shoes', 'warning')],
      alerts: [alert('s', 'worn-shoes', 'warning', { day: 100 })],
    });
    expect(shoesAfter28.refresh[0].notify).toBe(true);
  });

  it('honours a runner’s own cooldown', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, cooldownDays: 3 };
    const decision = decide({
      thresholds,
      conditions: [condition('weekly-increase', 'caution')],
      alerts: [alert('a1', 'weekly-increase', 'caution', { day: 97 })],
    });
    expect(decision.refresh[0].notify).toBe(true);
  });
});
