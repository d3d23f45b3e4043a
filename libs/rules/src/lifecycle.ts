import { AlertEmailLevel, RuleId, Severity } from '@deload/domain';
import { decideEmail, higherSeverity, PastAlert, PolicySignal } from './email-policy';
import type { Thresholds } from './thresholds';
import type { Condition } from './types';

/**
 * The alert lifecycle, decided in one place for the service (libs/evaluation) and `deload replay`:
 *  - one open alert per (runner, rule, dedupe key); a condition without one opens one;
 *  - an open alert resolves when its rule judged and the condition no longer holds (a rule that
 *    could not judge, e.g. no synced data, leaves its alerts as they are);
 *  - which alerts go into today's email, if any, is the email policy's (email-policy.ts), which
 *    also weighs what the runner or coach said about an alert (acknowledged, dismissed: `response`).
 * Days are the runner's local days (calendar.ts).
 */
export interface AlertSnapshot extends PastAlert {
  state: 'open' | 'resolved';
  severity: Severity;
}

export interface LifecycleInput {
  today: number;
  conditions: readonly Condition[];
  /** Rules that judged (Evaluation.judgedRules). */
  judgedRules: readonly RuleId[];
  /** The runner's open alerts, plus alerts emailed or covered within the cooldown (see lookbackDays). */
  alerts: readonly AlertSnapshot[];
  /** Local day of the runner's most recent alert email request; null if none. */
  lastEmailDay: number | null;
  thresholds: Thresholds;
  /** The runner's alert email setting. */
  level: AlertEmailLevel;
}

/**
 * An alert's part in today's email: it leads it, is in it under "also this week", or is settled
 * without one (the runner was emailed about that episode already).
 */
export type EmailRole = 'lead' | 'also' | 'settled';

export interface EmailMark {
  role: EmailRole;
  /** The email goes for this signal (it leads it, or wanted one of its own) and it begins an episode. */
  startsEpisode: boolean;
  /** Place in the email: 0 for the lead, then the "also this week" signals in order; settled: -1. */
  position: number;
  /** The severity to record as covered: the higher of what was covered before and today's. */
  coveredSeverity: Severity;
}

export interface LifecycleDecision {
  /** New alerts to insert. */
  open: { condition: Condition; email: EmailMark | null }[];
  /** Open alerts whose condition still holds: update severity, facts, message, last seen. */
  refresh: { alertId: string; condition: Condition; email: EmailMark | null }[];
  /** Open alerts to resolve. */
  resolve: string[];
}

/** How far back resolved alerts matter to decideLifecycle: the longest cooldown. */
export function lookbackDays(thresholds: Thresholds): number {
  return Math.max(thresholds.cooldownDays, thresholds['worn-shoes'].cooldownDays);
}

export function cooldownDays(rule: RuleId, thresholds: Thresholds): number {
  return rule === 'worn-shoes' ? thresholds['worn-shoes'].cooldownDays : thresholds.cooldownDays;
}

const sameEpisode = (alert: AlertSnapshot, condition: Condition) =>
  alert.rule === condition.rule && alert.dedupeKey === condition.dedupeKey;

interface Entry extends PolicySignal {
  condition: Condition;
  target: { email: EmailMark | null };
}

// A runner has a handful of alerts at a time: plain scans beat building maps (the replay calls this daily),
// and loops beat find/some with a closure made per call.
function openAlertOf(alerts: readonly AlertSnapshot[], condition: Condition): AlertSnapshot | undefined {
  for (const alert of alerts) if (alert.state === 'open' && sameEpisode(alert, condition)) return alert;
  return undefined;
}

function holds(conditions: readonly Condition[], alert: AlertSnapshot): boolean {
  for (const condition of conditions) if (sameEpisode(alert, condition)) return true;
  return false;
}

export function decideLifecycle(input: LifecycleInput): LifecycleDecision {
  const decision: LifecycleDecision = { open: [], refresh: [], resolve: [] };
  const entries: Entry[] = [];
  for (const condition of input.conditions) {
    const open = openAlertOf(input.alerts, condition);
    const target = { condition, email: null };
    if (open) decision.refresh.push(Object.assign(target, { alertId: open.id }));
    else decision.open.push(target);
    entries.push({
      rule: condition.rule,
      severity: condition.severity,
      dedupeKey: condition.dedupeKey,
      alertId: open?.id,
      firstSeenDay: open ? open.firstSeenDay : input.today,
      coveredSeverity: open ? open.coveredSeverity : null,
      response: open?.response ?? null,
      condition,
      target,
    });
  }
  for (const alert of input.alerts) {
    if (alert.state === 'open' && !holds(input.conditions, alert) && input.judgedRules.includes(alert.rule))
      decision.resolve.push(alert.id);
  }
  if (!entries.length) return decision;
  const { email, settled } = decideEmail({
    today: input.today,
    signals: entries,
    past: input.alerts,
    lastEmailDay: input.lastEmailDay,
    level: input.level,
    cooldownDays: (rule) => cooldownDays(rule, input.thresholds),
  });
  const mark = (entry: Entry, role: EmailRole, position: number) =>
    (entry.target.email = {
      role,
      position,
      startsEpisode: !!email?.starts.includes(entry),
      coveredSeverity: higherSeverity(entry.severity, entry.coveredSeverity),
    });
  if (email) {
    mark(email.lead, 'lead', 0);
    email.also.forEach((entry, index) => mark(entry, 'also', index + 1));
  }
  for (const entry of settled) mark(entry, 'settled', -1);
  return decision;
}
