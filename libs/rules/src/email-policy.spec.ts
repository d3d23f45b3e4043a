import type { AlertEmailLevel, RuleId, Severity } from '@deload/domain';
import { decideEmail, isStrong, PastAlert, PolicySignal, ResponseMark } from './email-policy';

const TODAY = 100;

/** A signal holding today: `opened` days ago (0 = opens today), `covered` the severity already told. */
function signal(
  rule: RuleId,
  severity: Severity,
  options: { key?: string; opened?: number; covered?: Severity; response?: ResponseMark } = {},
): PolicySignal {
  const key = options.key ?? rule;
  return {
    response: options.response ?? null,
    rule,
    severity,
    dedupeKey: key,
    alertId: options.opened ? `open-${key}` : undefined,
    firstSeenDay: TODAY - (options.opened ?? 0),
    coveredSeverity: options.covered ?? null,
  };
}

/** An earlier alert (other than the signals' own): opened `n` days ago; an email went for it / carried it `n` days ago. */
function past(
  rule: RuleId,
  options: {
    key?: string;
    opened: number;
    emailedFor?: { daysAgo: number; severity: Severity };
    start?: boolean;
    covered?: { daysAgo: number; severity: Severity };
    response?: ResponseMark;
  },
): PastAlert {
  return {
    response: options.response ?? null,
    id: `past-${options.key ?? rule}-${options.opened}`,
    rule,
    dedupeKey: options.key ?? rule,
    firstSeenDay: TODAY - options.opened,
    episodeStart: options.start ?? !!options.emailedFor,
    coveredDay: options.covered ? TODAY - options.covered.daysAgo : options.emailedFor ? TODAY - options.emailedFor.daysAgo : null,
    coveredSeverity: options.covered?.severity ?? options.emailedFor?.severity ?? null,
  };
}

interface Case {
  name: string;
  signals: PolicySignal[];
  past?: PastAlert[];
  lastEmailDay?: number | null;
  level?: AlertEmailLevel;
  /** Expected email as dedupe keys: [lead, ...also]; null: no email. */
  email: string[] | null;
  settled?: string[];
}

/** An acknowledgement or dismissal made `daysAgo` days ago, of the alert at `severity`. */
const acknowledged = (daysAgo: number, severity: Severity): ResponseMark => ({ kind: 'acknowledged', day: TODAY - daysAgo, severity });
const dismissed = (daysAgo: number, severity: Severity = 'caution'): ResponseMark => ({
  kind: 'dismissed',
  day: TODAY - daysAgo,
  severity,
});

/** What acknowledgements and dismissals change (docs/rules.md → "When Deload emails"). */
const RESPONSE_CASES: Case[] = [
  {
    name: 'a dismissed spike does not email when it turns high (the episode is silenced)',
    signals: [signal('single-run-spike', 'high', { key: 'run-1', opened: 1, covered: 'caution', response: dismissed(1) })],
    email: null,
  },
  {
    name: 'an acknowledged spike emails again when it turns high (only a rise speaks)',
    signals: [signal('single-run-spike', 'high', { key: 'run-1', opened: 1, covered: 'caution', response: acknowledged(1, 'caution') })],
    email: ['run-1'],
  },
  {
    name: 'a weak sign acknowledged before it was emailed stays quiet when it persists',
    signals: [signal('weekly-increase', 'caution', { opened: 25, response: acknowledged(10, 'caution') })],
    email: null,
  },
  {
    name: 'a weak sign that was never acknowledged emails once it has held three weeks',
    signals: [signal('weekly-increase', 'caution', { opened: 25 })],
    email: ['weekly-increase'],
  },
  {
    name: 'a dismissed sign rides along in no other email',
    signals: [
      signal('single-run-spike', 'caution', { key: 'run-1' }),
      signal('weekly-increase', 'caution', { opened: 2, response: dismissed(1) }),
      signal('downhill-spike', 'caution', { opened: 2, response: acknowledged(1, 'caution') }),
    ],
    email: ['run-1', 'downhill-spike'],
  },
  {
    name: 'a spike in an episode whose first spike was dismissed stays quiet, even when bigger',
    signals: [signal('single-run-spike', 'high', { key: 'run-2' })],
    past: [past('single-run-spike', { key: 'run-1', opened: 3, emailedFor: { daysAgo: 3, severity: 'caution' }, response: dismissed(2) })],
    email: null,
    settled: ['run-2'],
  },
  {
    name: 'the same thing coming back within the cooldown of its dismissal stays quiet, at any severity',
    signals: [signal('worn-shoes', 'high', { key: 'shoe-1' })],
    past: [
      past('worn-shoes', {
        key: 'shoe-1',
        opened: 30,
        emailedFor: { daysAgo: 30, severity: 'warning' },
        response: dismissed(5, 'warning'),
      }),
    ],
    email: null,
    settled: ['shoe-1'],
  },
  {
    name: 'after the cooldown of the dismissal it is news again',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1' })],
    past: [
      past('worn-shoes', {
        key: 'shoe-1',
        opened: 60,
        emailedFor: { daysAgo: 60, severity: 'warning' },
        response: dismissed(28, 'warning'),
      }),
    ],
    email: ['shoe-1'],
  },
  {
    name: 'the same thing coming back within the cooldown of its acknowledgement, at that severity, is settled',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1' })],
    past: [past('worn-shoes', { key: 'shoe-1', opened: 30, response: acknowledged(3, 'warning') })],
    email: null,
    settled: ['shoe-1'],
  },
  {
    name: 'coming back higher than it was acknowledged at is news',
    signals: [signal('worn-shoes', 'high', { key: 'shoe-1' })],
    past: [past('worn-shoes', { key: 'shoe-1', opened: 30, response: acknowledged(3, 'warning') })],
    email: ['shoe-1'],
  },
  {
    name: 'pain coming earlier in a new alert is news even after the last one was dismissed',
    signals: [signal('pain-earlier', 'warning', { key: 'pain-knee' })],
    past: [
      past('pain-earlier', {
        key: 'pain-knee',
        opened: 10,
        emailedFor: { daysAgo: 10, severity: 'warning' },
        response: dismissed(8, 'warning'),
      }),
    ],
    email: ['pain-knee'],
  },
  {
    name: 'but a dismissed pain alert that is still open does not email again',
    signals: [signal('pain-earlier', 'high', { key: 'pain-knee', opened: 4, covered: 'warning', response: dismissed(2, 'warning') })],
    email: null,
  },
];

const CASES: Case[] = [
  ...RESPONSE_CASES,
  { name: 'a strong signal alone emails', signals: [signal('single-run-spike', 'caution', { key: 'run-1' })], email: ['run-1'] },
  { name: 'a weak signal alone does not', signals: [signal('weekly-increase', 'caution')], email: null },
  {
    name: 'nor does a cadence drop, more downhill, a monotonous week, or a shoe at 500 km',
    signals: [
      signal('cadence-drop', 'caution'),
      signal('downhill-spike', 'caution'),
      signal('monotony', 'info'),
      signal('worn-shoes', 'info', { key: 'shoe-1' }),
    ],
    email: null,
  },
  {
    name: 'weak + strong in one week: one email, led by the strong one, the weak one "also this week"',
    signals: [
      signal('weekly-increase', 'caution', { opened: 2 }),
      signal('single-run-spike', 'caution', { key: 'run-1' }),
      signal('downhill-spike', 'caution'),
    ],
    email: ['run-1', 'weekly-increase', 'downhill-spike'],
  },
  {
    name: 'a weak signal opening after the spike email of its week stays in the summary',
    signals: [signal('single-run-spike', 'caution', { key: 'run-1', opened: 3, covered: 'caution' }), signal('weekly-increase', 'caution')],
    email: null,
  },
  {
    name: 'a weak signal that turns high emails',
    signals: [signal('weekly-increase', 'high', { opened: 4, covered: 'caution' })],
    email: ['weekly-increase'],
  },
  {
    name: 'a strong signal emails again when its severity rises…',
    signals: [signal('pain-earlier', 'high', { key: 'pain-lateral_knee', opened: 2, covered: 'warning' })],
    lastEmailDay: TODAY - 1,
    email: ['pain-lateral_knee'],
  },
  {
    name: '…but not when it holds or falls',
    signals: [
      signal('pain-earlier', 'warning', { key: 'pain-lateral_knee', opened: 9, covered: 'high' }),
      signal('single-run-spike', 'caution', { key: 'run-1', opened: 5, covered: 'caution' }),
    ],
    email: null,
  },
  {
    name: 'a weak signal that held 3 weeks running emails',
    signals: [signal('weekly-increase', 'caution', { opened: 21 })],
    email: ['weekly-increase'],
  },
  { name: 'not a day earlier', signals: [signal('weekly-increase', 'caution', { opened: 20 })], email: null },
  {
    name: 'not if an email already carried it',
    signals: [signal('weekly-increase', 'caution', { opened: 30, covered: 'caution' })],
    email: null,
  },
  {
    name: 'a shoe at 500 km never emails by lasting (it only gets more worn)',
    signals: [signal('worn-shoes', 'info', { key: 'shoe-1', opened: 60 })],
    email: null,
  },
  {
    name: 'a shoe past its warning distance emails',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1', opened: 60, covered: 'info' })],
    email: ['shoe-1'],
  },
  {
    name: 'a second long-run spike within 7 days of one an email went for is settled into that episode',
    signals: [signal('single-run-spike', 'caution', { key: 'run-2' })],
    past: [past('single-run-spike', { key: 'run-1', opened: 6, emailedFor: { daysAgo: 6, severity: 'caution' } })],
    email: null,
    settled: ['run-2'],
  },
  {
    name: 'a spike 7 days after the last emailed one opens a new episode',
    signals: [signal('single-run-spike', 'caution', { key: 'run-2' })],
    past: [past('single-run-spike', { key: 'run-1', opened: 7, emailedFor: { daysAgo: 6, severity: 'caution' } })],
    email: ['run-2'],
  },
  {
    name: 'a spike twice the longest emails even within the week of a smaller one',
    signals: [signal('single-run-spike', 'high', { key: 'run-2' })],
    past: [past('single-run-spike', { key: 'run-1', opened: 3, emailedFor: { daysAgo: 3, severity: 'caution' } })],
    email: ['run-2'],
  },
  {
    name: 'a spike only carried under "also this week" (it was settled) does not start an episode',
    signals: [signal('single-run-spike', 'caution', { key: 'run-2' })],
    past: [past('single-run-spike', { key: 'run-1', opened: 3, covered: { daysAgo: 2, severity: 'caution' } })],
    email: ['run-2'],
  },
  {
    name: 'a bigger spike within an episode emails, but the episode still ends 7 days after the spike it began with',
    signals: [signal('single-run-spike', 'high', { key: 'run-3' })],
    past: [
      past('single-run-spike', { key: 'run-1', opened: 7, emailedFor: { daysAgo: 7, severity: 'caution' } }),
      past('single-run-spike', { key: 'run-2', opened: 3, emailedFor: { daysAgo: 3, severity: 'high' }, start: false }),
    ],
    email: ['run-3'],
  },
  {
    name: 'a spike an email went for under a pain lead starts an episode all the same',
    signals: [signal('single-run-spike', 'caution', { key: 'run-2' })],
    past: [past('single-run-spike', { key: 'run-1', opened: 2, covered: { daysAgo: 2, severity: 'caution' }, start: true })],
    email: null,
    settled: ['run-2'],
  },
  {
    name: 'pain coming earlier always emails, even right after another pain email',
    signals: [signal('pain-earlier', 'warning', { key: 'pain-hip' })],
    past: [past('pain-earlier', { key: 'pain-hip', opened: 6, emailedFor: { daysAgo: 4, severity: 'warning' } })],
    lastEmailDay: TODAY - 1,
    email: ['pain-hip'],
  },
  {
    name: 'the same shoe coming back within its 28-day cooldown is the same episode',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1' })],
    past: [past('worn-shoes', { key: 'shoe-1', opened: 40, emailedFor: { daysAgo: 20, severity: 'warning' } })],
    email: null,
    settled: ['shoe-1'],
  },
  {
    name: 'after the cooldown it is news again',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1' })],
    past: [past('worn-shoes', { key: 'shoe-1', opened: 40, emailedFor: { daysAgo: 28, severity: 'warning' } })],
    email: ['shoe-1'],
  },
  {
    name: 'one alert email a day: a second strong signal that day waits',
    signals: [signal('single-run-spike', 'caution', { key: 'run-1' })],
    lastEmailDay: TODAY,
    email: null,
  },
  {
    name: 'unless something is high: then it goes, carrying the others',
    signals: [signal('single-run-spike', 'caution', { key: 'run-1' }), signal('single-run-spike', 'high', { key: 'run-2' })],
    lastEmailDay: TODAY,
    email: ['run-2', 'run-1'],
  },
  {
    name: 'the strongest evidence leads: pain before a spike twice as long',
    signals: [signal('single-run-spike', 'high', { key: 'run-1' }), signal('pain-earlier', 'warning', { key: 'pain-knee' })],
    email: ['pain-knee', 'run-1'],
  },
  {
    name: 'a spike leads worn shoes, though the shoes are at warning',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1' }), signal('single-run-spike', 'caution', { key: 'run-1' })],
    email: ['run-1', 'shoe-1'],
  },
  {
    name: '"also this week" is what opened this week or was never told, not old news',
    signals: [
      signal('single-run-spike', 'caution', { key: 'run-1' }),
      signal('single-run-spike', 'caution', { key: 'run-0', opened: 5, covered: 'caution' }),
      signal('monotony', 'info', { opened: 12 }),
      signal('downhill-spike', 'caution', { opened: 10, covered: 'caution' }),
    ],
    past: [past('single-run-spike', { key: 'run-old', opened: 12, emailedFor: { daysAgo: 12, severity: 'caution' } })],
    email: ['run-1', 'run-0', 'monotony'],
  },
  {
    name: 'setting "none": no alert email at all',
    level: 'none',
    signals: [signal('pain-earlier', 'high', { key: 'pain-knee' })],
    email: null,
  },
  {
    name: 'setting "strongest": no email for a spike of 10–100 %',
    level: 'strongest',
    signals: [signal('single-run-spike', 'caution', { key: 'run-1' })],
    email: null,
  },
  {
    name: 'setting "strongest": nor for worn shoes',
    level: 'strongest',
    signals: [signal('worn-shoes', 'warning', { key: 'shoe-1' })],
    email: null,
  },
  {
    name: 'setting "strongest": pain coming earlier emails, with the week’s other signs',
    level: 'strongest',
    signals: [signal('single-run-spike', 'caution', { key: 'run-1' }), signal('pain-earlier', 'warning', { key: 'pain-knee' })],
    email: ['pain-knee', 'run-1'],
  },
  {
    name: 'setting "strongest": a spike twice the longest emails',
    level: 'strongest',
    signals: [signal('single-run-spike', 'high', { key: 'run-1' })],
    email: ['run-1'],
  },
  {
    name: 'setting "all" (the default): a spike of 10–100 % emails',
    level: 'all',
    signals: [signal('single-run-spike', 'caution', { key: 'run-1' })],
    email: ['run-1'],
  },
];

describe('decideEmail', () => {
  it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const decision = decideEmail({
      today: TODAY,
      signals: entry.signals,
      past: entry.past ?? [],
      lastEmailDay: entry.lastEmailDay ?? null,
      level: entry.level ?? 'all',
      cooldownDays: (rule) => (rule === 'worn-shoes' ? 28 : 7),
    });
    expect(decision.email && [decision.email.lead, ...decision.email.also].map((chosen) => chosen.dedupeKey)).toEqual(entry.email);
    expect(decision.settled.map((chosen) => chosen.dedupeKey)).toEqual(entry.settled ?? []);
  });
});

describe('isStrong', () => {
  it.each([
    ['pain-earlier', 'warning', true],
    ['single-run-spike', 'caution', true],
    ['worn-shoes', 'warning', true],
    ['worn-shoes', 'info', false],
    ['weekly-increase', 'caution', false],
    ['downhill-spike', 'caution', false],
    ['cadence-drop', 'caution', false],
    ['monotony', 'info', false],
    ['monotony', 'high', true],
  ] as const)('%s at %s: %s', (rule, severity, strong) => {
    expect(isStrong({ rule, severity })).toBe(strong);
  });
});
