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

function alert(id: string, rule: RuleId, severity: Severity, extra: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    id,
    rule,
    dedupeKey: 'k',
    state: 'open',
    severity,
    firstSeenDay: 95,
    coveredDay: null,
    coveredSeverity: null,
    episodeStart: false,
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
    level: 'all',
    ...input,
  });
}

// Which alerts email, and how, is the email policy's (email-policy.spec.ts); this is the wiring around it.
describe('decideLifecycle', () => {
  it('weighs what the runner said about an open alert: dismissed, a rise stays quiet; acknowledged, a rise emails', () => {
    const rising = { conditions: [condition('single-run-spike', 'high')] };
    const told = { coveredDay: 99, coveredSeverity: 'caution' as const, episodeStart: true };
    const dismissed = alert('a1', 'single-run-spike', 'caution', {
      ...told,
      response: { kind: 'dismissed', day: 99, severity: 'caution' },
    });
    expect(decide({ ...rising, alerts: [dismissed] }).refresh).toEqual([
      { alertId: 'a1', condition: condition('single-run-spike', 'high'), email: null },
    ]);
    const acknowledged = alert('a1', 'single-run-spike', 'caution', {
      ...told,
      response: { kind: 'acknowledged', day: 99, severity: 'caution' },
    });
    expect(decide({ ...rising, alerts: [acknowledged] }).refresh[0].email).toMatchObject({ role: 'lead', coveredSeverity: 'high' });
  });

  it('opens a new condition and puts it in today’s email when the policy says so', () => {
    expect(decide({ conditions: [condition('single-run-spike', 'caution')] })).toEqual({
      open: [
        {
          condition: condition('single-run-spike', 'caution'),
          email: { role: 'lead', position: 0, startsEpisode: true, coveredSeverity: 'caution' },
        },
      ],
      refresh: [],
      resolve: [],
    });
    expect(decide({ conditions: [condition('weekly-increase', 'caution')] }).open[0].email).toBeNull();
  });

  it('refreshes the open alert of a condition that still holds, and passes on what the runner was told', () => {
    const told = decide({
      conditions: [condition('pain-earlier', 'warning')],
      alerts: [alert('a1', 'pain-earlier', 'warning', { coveredDay: 99, coveredSeverity: 'warning' })],
    });
    expect(told).toEqual({
      open: [],
      refresh: [{ alertId: 'a1', condition: condition('pain-earlier', 'warning'), email: null }],
      resolve: [],
    });
    const rising = decide({
      conditions: [condition('pain-earlier', 'high')],
      alerts: [alert('a1', 'pain-earlier', 'warning', { coveredDay: 99, coveredSeverity: 'warning' })],
    });
    expect(rising.refresh[0].email).toEqual({ role: 'lead', position: 0, startsEpisode: true, coveredSeverity: 'high' });
  });

  it('counts how long a signal held from its alert’s first day', () => {
    const held = (firstSeenDay: number) =>
      decide({ conditions: [condition('downhill-spike', 'caution')], alerts: [alert('d', 'downhill-spike', 'caution', { firstSeenDay })] })
        .refresh[0].email;
    expect(held(79)?.role).toBe('lead');
    expect(held(80)).toBeNull();
  });

  it('marks the lead, the signals it carries in order, and the ones settled without an email', () => {
    const earlierSpike = alert('s1', 'single-run-spike', 'caution', {
      dedupeKey: 'run-1',
      state: 'resolved',
      firstSeenDay: 96,
      episodeStart: true,
      coveredDay: 96,
      coveredSeverity: 'caution',
    });
    const quiet = decide({ conditions: [condition('single-run-spike', 'caution', 'run-2')], alerts: [earlierSpike] });
    expect(quiet.open[0].email).toEqual({ role: 'settled', position: -1, startsEpisode: false, coveredSeverity: 'caution' });
    const decision = decide({
      conditions: [
        condition('weekly-increase', 'caution', 'load'),
        condition('single-run-spike', 'caution', 'run-2'),
        condition('pain-earlier', 'warning'),
      ],
      alerts: [alert('w', 'weekly-increase', 'caution', { dedupeKey: 'load', firstSeenDay: 98 }), earlierSpike],
    });
    // Pain leads; the spike (settled into the earlier spike's episode) and the weekly increase of the week ride along.
    expect(decision.refresh).toEqual([
      {
        alertId: 'w',
        condition: condition('weekly-increase', 'caution', 'load'),
        email: { role: 'also', position: 2, startsEpisode: false, coveredSeverity: 'caution' },
      },
    ]);
    expect(decision.open.map(({ condition, email }) => [condition.rule, email?.role, email?.position])).toEqual([
      ['single-run-spike', 'also', 1],
      ['pain-earlier', 'lead', 0],
    ]);
  });

  it('never records a lower severity as covered than one already told', () => {
    const decision = decide({
      conditions: [condition('pain-earlier', 'warning', 'knee'), condition('pain-earlier', 'warning', 'hip')],
      alerts: [alert('k', 'pain-earlier', 'warning', { dedupeKey: 'knee', firstSeenDay: 99 })],
    });
    // Both pain places want an email: one leads, the other rides along — and an email went for both.
    expect(decision.refresh[0].email).toEqual({ role: 'lead', position: 0, startsEpisode: true, coveredSeverity: 'warning' });
    expect(decision.open[0].email).toEqual({ role: 'also', position: 1, startsEpisode: true, coveredSeverity: 'warning' });
    const fallen = decide({
      conditions: [condition('pain-earlier', 'warning', 'knee'), condition('pain-earlier', 'warning', 'hip')],
      alerts: [alert('k', 'pain-earlier', 'warning', { dedupeKey: 'knee', firstSeenDay: 99, coveredDay: 99, coveredSeverity: 'high' })],
    });
    expect(fallen.refresh[0].email).toEqual({ role: 'also', position: 1, startsEpisode: false, coveredSeverity: 'high' });
  });

  it('resolves an open alert whose rule judged and no longer sees the condition', () => {
    expect(decide({ alerts: [alert('a1', 'weekly-increase', 'caution')] }).resolve).toEqual(['a1']);
  });

  it('leaves an open alert alone while its rule cannot judge (no synced data)', () => {
    const decision = decide({
      alerts: [alert('a1', 'weekly-increase', 'caution')],
      judgedRules: ALL_RULES.filter((rule) => rule !== 'weekly-increase'),
    });
    expect(decision).toEqual({ open: [], refresh: [], resolve: [] });
  });

  it('applies the runner’s level and cooldowns', () => {
    expect(decide({ level: 'none', conditions: [condition('pain-earlier', 'high')] }).open[0].email).toBeNull();
    const shoe = (today: number, thresholds = DEFAULT_THRESHOLDS) =>
      decide({
        today,
        thresholds,
        conditions: [condition('worn-shoes', 'warning', 'shoe-1')],
        alerts: [
          alert('old', 'worn-shoes', 'warning', { dedupeKey: 'shoe-1', state: 'resolved', coveredDay: 90, coveredSeverity: 'warning' }),
        ],
      }).open[0].email?.role;
    expect(shoe(117)).toBe('settled');
    expect(shoe(118)).toBe('lead');
    expect(shoe(100, { ...DEFAULT_THRESHOLDS, 'worn-shoes': { ...DEFAULT_THRESHOLDS['worn-shoes'], cooldownDays: 10 } })).toBe('lead');
  });
});
