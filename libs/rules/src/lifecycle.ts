import { RuleId, Severity, severityRank } from '@deload/domain';
import { RULE_ORDER } from './rules';
import type { Thresholds } from './thresholds';
import type { Condition } from './types';

/**
 * The alert lifecycle, decided in one place for the service (libs/alerts) and `deload replay`:
 *  - one open alert per (runner, rule, dedupe key); a condition without one opens one;
 *  - an alert is emailed when first seen, again only when its severity rises above what was last
 *    emailed or once the cooldown has passed (7 days; 28 for worn shoes; never within one episode
 *    for info alerts) — also across a resolve/re-open, so a flapping condition does not email
 *    every other day;
 *  - an open alert resolves when its rule judged and the condition no longer holds (a rule that
 *    could not judge, e.g. no synced data, leaves its alerts as they are);
 *  - at most one alert email per runner per local day, except that high alerts always go (and
 *    then take the day's slot). Alerts that miss the day's slot are offered again next time.
 * Days are the runner's local days (calendar.ts).
 */
export interface AlertSnapshot {
  id: string;
  rule: RuleId;
  dedupeKey: string;
  state: 'open' | 'resolved';
  severity: Severity;
  /** Local day of the last email requested for this alert; null if never. */
  lastNotifyDay: number | null;
  lastNotifySeverity: Severity | null;
}

export interface LifecycleInput {
  today: number;
  conditions: readonly Condition[];
  /** Rules that judged (Evaluation.judgedRules). */
  judgedRules: readonly RuleId[];
  /** The runner's open alerts, plus alerts resolved within the cooldown (see lookbackDays). */
  alerts: readonly AlertSnapshot[];
  /** Local day of the runner's most recent alert email request; null if none. */
  lastEmailDay: number | null;
  thresholds: Thresholds;
}

export interface LifecycleDecision {
  /** New alerts to insert. */
  open: { condition: Condition; notify: boolean }[];
  /** Open alerts whose condition still holds: update severity, facts, message, last seen. */
  refresh: { alertId: string; condition: Condition; notify: boolean }[];
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

/** The alert of this episode whose email was requested last (open or recently resolved). */
function lastEmailed(alerts: readonly AlertSnapshot[], condition: Condition): AlertSnapshot | undefined {
  let last: AlertSnapshot | undefined;
  for (const alert of alerts) {
    if (alert.lastNotifyDay !== null && sameEpisode(alert, condition) && (!last || alert.lastNotifyDay > last.lastNotifyDay!)) last = alert;
  }
  return last;
}

// A runner has a handful of alerts at a time: plain scans beat building maps (the replay calls this daily).
export function decideLifecycle(input: LifecycleInput): LifecycleDecision {
  const decision: LifecycleDecision = { open: [], refresh: [], resolve: [] };
  const wanting: { condition: Condition; entry: { notify: boolean } }[] = [];
  for (const condition of input.conditions) {
    const open = input.alerts.find((alert) => alert.state === 'open' && sameEpisode(alert, condition));
    const entry = { condition, notify: false };
    if (open) decision.refresh.push({ alertId: open.id, ...entry });
    else decision.open.push(entry);
    if (wantsEmail(condition, lastEmailed(input.alerts, condition), input))
      wanting.push({ condition, entry: open ? decision.refresh[decision.refresh.length - 1] : entry });
  }
  for (const alert of input.alerts) {
    const holds = input.conditions.some((condition) => sameEpisode(alert, condition));
    if (alert.state === 'open' && !holds && input.judgedRules.includes(alert.rule)) decision.resolve.push(alert.id);
  }
  if (wanting.length) grantEmails(wanting, input);
  return decision;
}

function wantsEmail(condition: Condition, last: AlertSnapshot | undefined, input: LifecycleInput): boolean {
  if (!last || last.lastNotifyDay === null) return true;
  if (severityRank(condition.severity) > severityRank(last.lastNotifySeverity ?? 'info')) return true;
  // An info alert is news once per episode; reminding of it every cooldown would be noise.
  if (condition.severity === 'info' && last.state === 'open') return false;
  return input.today - last.lastNotifyDay >= cooldownDays(condition.rule, input.thresholds);
}

/** High alerts all go; otherwise the most severe one goes if no alert email went out today. */
function grantEmails(wanting: { condition: Condition; entry: { notify: boolean } }[], input: LifecycleInput): void {
  wanting.sort(
    (a, b) =>
      severityRank(b.condition.severity) - severityRank(a.condition.severity) ||
      RULE_ORDER.get(a.condition.rule)! - RULE_ORDER.get(b.condition.rule)! ||
      a.condition.dedupeKey.localeCompare(b.condition.dedupeKey),
  );
  let emailedToday = input.lastEmailDay === input.today;
  for (const { condition, entry } of wanting) {
    if (condition.severity === 'high' || !emailedToday) {
      entry.notify = true;
      emailedToday = true;
    }
  }
}
