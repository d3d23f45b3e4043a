import { AlertEmailLevel, AlertResponse, RuleId, Severity, severityRank } from '@deload/domain';

/**
 * Which alert email to send, if any — the email budget a runner can trust (docs/rules.md → "When
 * Deload emails"). Signals (what the rules find) are not emails:
 *  - Strong signals email promptly: pain-earlier at any severity, single-run-spike, worn-shoes at
 *    its warning distance, and anything high. Weak ones (weekly-increase, downhill-spike, monotony,
 *    cadence-drop, worn-shoes at info) go to the weekly summary and the dashboard; one emails only
 *    when it turns high or has held for PERSISTENT_DAYS running (not worn shoes: they only get more
 *    worn, and the warning distance says when it matters).
 *  - One email per episode: an email leads with its strongest-evidence signal and carries the
 *    others of the week as "also this week". An alert is emailed once per severity: again only when
 *    it rises. The same thing coming back within the cooldown is the same episode (a shoe, a weak
 *    signal that flickers), and so are long-run spikes within the cooldown of the spike an email
 *    episode began with — unless more severe (then emailed, without restarting the episode). Pain
 *    coming earlier is always news: every pain-earlier alert emails.
 *  - What the runner or their coach said about an alert (its response) counts as hearing of it:
 *    acknowledged ("seen") at a severity is told at that severity — only a rise emails again, and
 *    the same thing coming back within the cooldown of the acknowledgement at that severity or
 *    lower is the same episode; dismissed (with a reason: a planned race, already seeing a physio,
 *    wrong data) silences the episode at any severity: the alert emails no more, rides along in no
 *    other email, and the same thing coming back within the cooldown of the dismissal stays
 *    quiet (for long-run spikes: a spike in an episode whose first spike was dismissed). Pain
 *    coming earlier again in a new alert is still news.
 *  - At most one alert email a day, unless a signal is high.
 *  - The runner's level: `all`, `strongest` (pain-earlier and high only) or `none`.
 * Pure: the service (libs/evaluation) and `deload replay` call it with the same inputs.
 */
export interface Signal {
  rule: RuleId;
  severity: Severity;
}

/** A weak signal emails by itself once it has held this many days in a row. */
export const PERSISTENT_DAYS = 21;

/** "Also this week": other signals that opened within this many days ride along in an email. */
export const WEEK_DAYS = 7;

/** The order in which signals lead an email: the strength of the evidence behind each rule (docs/rules.md). */
export const EVIDENCE_ORDER: readonly RuleId[] = [
  'pain-earlier',
  'single-run-spike',
  'worn-shoes',
  'weekly-increase',
  'downhill-spike',
  'cadence-drop',
  'monotony',
];
const EVIDENCE_RANK: ReadonlyMap<RuleId, number> = new Map(EVIDENCE_ORDER.map((rule, index) => [rule, index]));

export function isStrong(signal: Signal): boolean {
  if (signal.severity === 'high') return true;
  switch (signal.rule) {
    case 'pain-earlier':
      return true;
    case 'single-run-spike':
      return atLeast(signal.severity, 'caution');
    case 'worn-shoes':
      return atLeast(signal.severity, 'warning');
    default:
      return false;
  }
}

/** What "only the strongest warnings" lets through: pain coming earlier, and anything high. */
export function isStrongest(signal: Signal): boolean {
  return signal.rule === 'pain-earlier' || signal.severity === 'high';
}

export function levelAllows(level: AlertEmailLevel, signal: Signal): boolean {
  return level === 'all' || (level === 'strongest' && isStrongest(signal));
}

/** Sorts signals so that the one to lead an email comes first: strong before weak, then evidence, then severity. */
export function leadOrder(a: Signal, b: Signal): number {
  return (
    Number(isStrong(b)) - Number(isStrong(a)) ||
    EVIDENCE_RANK.get(a.rule)! - EVIDENCE_RANK.get(b.rule)! ||
    severityRank(b.severity) - severityRank(a.severity)
  );
}

export function atLeast(severity: Severity, than: Severity): boolean {
  return severityRank(severity) >= severityRank(than);
}

export function higherSeverity(a: Severity, b: Severity | null): Severity {
  return b !== null && severityRank(b) > severityRank(a) ? b : a;
}

/** What the runner or their coach said about an alert, on which local day, and the alert's severity then. */
export interface ResponseMark {
  kind: AlertResponse;
  day: number;
  severity: Severity;
}

/** A signal holding today, with what the runner already heard of its alert. */
export interface PolicySignal extends Signal {
  dedupeKey: string;
  /** Its open alert; absent when the signal opens today. */
  alertId?: string;
  /** Local day its alert opened (today for a new one). */
  firstSeenDay: number;
  /** The highest severity at which its alert was in an email (or settled as part of one); null: never. */
  coveredSeverity: Severity | null;
  /** Its open alert's acknowledgement or dismissal; absent or null: none. */
  response?: ResponseMark | null;
}

/** One of the runner's alerts (open, or resolved within the longest cooldown). */
export interface PastAlert {
  id: string;
  rule: RuleId;
  dedupeKey: string;
  firstSeenDay: number;
  /** Local day it was last in an email or settled, and the highest severity covered; null: never. */
  coveredDay: number | null;
  coveredSeverity: Severity | null;
  /**
   * An alert email went for it (it led one, or rode along as a signal that wanted its own) and
   * began an episode — not a rise in severity within one. What long-run spikes are grouped by.
   */
  episodeStart: boolean;
  /** Its acknowledgement or dismissal; absent or null: none. */
  response?: ResponseMark | null;
}

export interface EmailPolicyInput<S extends PolicySignal> {
  today: number;
  signals: readonly S[];
  past: readonly PastAlert[];
  /** Local day of the runner's last alert email; null if none. */
  lastEmailDay: number | null;
  level: AlertEmailLevel;
  /** Days within which the same thing coming back is one episode (thresholds.cooldownDays; the shoes' own). */
  cooldownDays: (rule: RuleId) => number;
}

export interface EmailPolicyDecision<S> {
  /**
   * Today's alert email: `lead` says it (subject, first paragraph); `also` follow as "also this
   * week"; `starts` are the signals it goes for that begin an episode (not a rise within one).
   */
  email: { lead: S; also: S[]; starts: S[] } | null;
  /** Signals settled without an email: part of an episode the runner was already emailed about. */
  settled: S[];
}

export function decideEmail<S extends PolicySignal>(input: EmailPolicyInput<S>): EmailPolicyDecision<S> {
  const candidates: S[] = [];
  const settled: S[] = [];
  for (const signal of input.signals) {
    if (told(signal)) continue;
    if (episodeAlreadyEmailed(signal, input)) settled.push(signal);
    else if (wantsEmail(signal, input.today) && levelAllows(input.level, signal)) candidates.push(signal);
  }
  const emailedToday = input.lastEmailDay === input.today;
  if (!candidates.length || (emailedToday && !candidates.some((signal) => signal.severity === 'high'))) return { email: null, settled };
  const [lead] = candidates.sort(leadOrder);
  const also = input.signals
    .filter(
      (signal) =>
        signal !== lead &&
        !isDismissed(signal) &&
        (candidates.includes(signal) || input.today - signal.firstSeenDay < WEEK_DAYS || !told(signal)),
    )
    .sort((a, b) => leadOrder(a, b) || a.dedupeKey.localeCompare(b.dedupeKey));
  const starts = candidates.filter((signal) => !episodeOf(signal, input));
  return { email: { lead, also, starts }, settled: settled.filter((signal) => !also.includes(signal)) };
}

/** Its alert was already in an email (or settled) at this severity or higher, acknowledged at it, or dismissed. */
function told(signal: PolicySignal): boolean {
  return (
    (signal.coveredSeverity !== null && atLeast(signal.coveredSeverity, signal.severity)) ||
    isDismissed(signal) ||
    (signal.response?.kind === 'acknowledged' && atLeast(signal.response.severity, signal.severity))
  );
}

function isDismissed(alert: { response?: ResponseMark | null }): boolean {
  return alert.response?.kind === 'dismissed';
}

/** Its acknowledgement or dismissal, made within `cooldown` days of today, covers a signal of this severity. */
function responseCovers(alert: PastAlert, severity: Severity, today: number, cooldown: number): boolean {
  const response = alert.response;
  if (!response || today - response.day >= cooldown) return false;
  return response.kind === 'dismissed' || atLeast(response.severity, severity);
}

function wantsEmail(signal: PolicySignal, today: number): boolean {
  return isStrong(signal) || (signal.rule !== 'worn-shoes' && today - signal.firstSeenDay >= PERSISTENT_DAYS);
}

/**
 * The same thing came back within the cooldown after an email covered it (a new alert for the same
 * shoe, a weak signal that flickered), or — for long-run spikes — it opened within the cooldown of
 * the spike an episode began with, at that severity or lower. Pain coming earlier never is.
 */
function episodeAlreadyEmailed(signal: PolicySignal, input: EmailPolicyInput<PolicySignal>): boolean {
  if (signal.rule === 'pain-earlier') return false;
  if (signal.rule === 'single-run-spike') {
    const start = episodeOf(signal, input);
    return !!start && (isDismissed(start) || atLeast(start.coveredSeverity!, signal.severity));
  }
  const cooldown = input.cooldownDays(signal.rule);
  return input.past.some(
    (alert) =>
      alert.id !== signal.alertId &&
      alert.rule === signal.rule &&
      alert.dedupeKey === signal.dedupeKey &&
      ((alert.coveredDay !== null && input.today - alert.coveredDay < cooldown && atLeast(alert.coveredSeverity!, signal.severity)) ||
        responseCovers(alert, signal.severity, input.today, cooldown)),
  );
}

/**
 * The spike whose email began the episode a long-run spike belongs to: one that opened within the
 * cooldown of it. Episodes do not chain: a bigger spike inside one is emailed (it is worse) but the
 * episode still ends a cooldown after the spike it began with.
 */
function episodeOf(signal: PolicySignal, input: EmailPolicyInput<PolicySignal>): PastAlert | undefined {
  if (signal.rule !== 'single-run-spike') return undefined;
  const cooldown = input.cooldownDays(signal.rule);
  return input.past.find(
    (alert) =>
      alert.id !== signal.alertId &&
      alert.rule === signal.rule &&
      alert.episodeStart &&
      Math.abs(signal.firstSeenDay - alert.firstSeenDay) < cooldown,
  );
}
