import { AlertResponse, RuleId, Severity, severityRank } from '@deload/domain';
import { formatPercent, type Thresholds } from '@deload/rules';
import type { LoadSummary } from './load-summary';
import type { LatestPain } from './pain-trend';
import type { ShoeStatus } from './shoe-status';

export interface OpenAlertBadge {
  rule: RuleId;
  severity: Severity;
  /** Acknowledged or dismissed by the runner or a coach (the team view marks it). */
  response?: AlertResponse | null;
}

export interface AttentionInput {
  summary: LoadSummary;
  openAlerts: readonly OpenAlertBadge[];
  pain: LatestPain | null;
  shoe: ShoeStatus | null;
  thresholds: Thresholds;
  now: Date;
}

export type AttentionKind = 'alerts' | 'weekly' | 'spike' | 'pain' | 'shoes';

export interface AttentionReason {
  kind: AttentionKind;
  text: string;
}

/** Pain this recent still matters at a glance. */
export const RECENT_PAIN_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * Why a coach should look at this runner today, in short phrases (empty: nothing to look at).
 * Open alerts count from caution up, unless the runner or a coach dismissed them (a planned race, a
 * physio already involved); the load figures use the runner's own thresholds, so a row is flagged as
 * soon as a spike is imported, before the alert email goes out.
 */
export function attentionReasons({ summary, openAlerts, pain, shoe, thresholds, now }: AttentionInput): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  const add = (kind: AttentionKind, text: string) => reasons.push({ kind, text });
  const alerts = stillOpen(openAlerts).filter((alert) => severityRank(alert.severity) >= severityRank('caution'));
  if (alerts.length) add('alerts', `${alerts.length} open alert${alerts.length === 1 ? '' : 's'} at caution or above`);
  const weekly = thresholds['weekly-increase'];
  if (
    weekly.enabled &&
    summary.changeRatio !== null &&
    summary.changeRatio > weekly.caution &&
    summary.previous4WeeksMeanM >= weekly.minBaseWeeklyM
  ) {
    add('weekly', `last 7 days ${formatPercent(summary.changeRatio - 1)} above the 4 weeks before`);
  }
  const spike = thresholds['single-run-spike'];
  const ratio = summary.biggestRecentRun?.ratio ?? null;
  if (spike.enabled && ratio !== null && ratio > spike.caution)
    add('spike', `a run ${ratio.toFixed(2)}× the longest of the 30 days before`);
  if (pain && now.getTime() - pain.report.startUtc.getTime() <= RECENT_PAIN_DAYS * DAY_MS) {
    add('pain', pain.trend === 'earlier' ? 'pain arriving earlier in the run' : 'pain reported recently');
  }
  if (shoe?.state === 'worn') add('shoes', `shoes “${shoe.name}” past their limit`);
  return reasons;
}

/** Higher is more urgent: the worst open alert first, then how many reasons there are. */
export function urgency(openAlerts: readonly OpenAlertBadge[], reasons: readonly AttentionReason[]): number {
  const worst = stillOpen(openAlerts).reduce((rank, alert) => Math.max(rank, severityRank(alert.severity) + 1), 0);
  return worst * 10 + Math.min(reasons.length, 9);
}

/** Alerts nobody has dismissed: a dismissed one stays on the page but no longer asks for a look. */
function stillOpen(openAlerts: readonly OpenAlertBadge[]): OpenAlertBadge[] {
  return openAlerts.filter((alert) => alert.response !== 'dismissed');
}
