import { Injectable } from '@nestjs/common';
import { alertForViewer, RunnerAccess, RunnerView, Viewer } from '@deload/auth';
import { UsersService } from '@deload/users';
import type { AlertResponse, DismissReason, DistanceUnit, RuleId, Severity } from '@deload/domain';
import type { AlertActionRecord, AlertEntity } from '@deload/persistence';
import {
  acwrSeries,
  alertContent,
  type AlertContent,
  dateOfDay,
  LocalCalendar,
  mondayOf,
  RULE_TITLES,
  singleRunRatios,
  weeklyDistanceSeries,
} from '@deload/rules';
import { AttentionReason, attentionReasons, OpenAlertBadge } from './attention';
import { LoadSummary, loadSummary } from './load-summary';
import { LatestPain, latestPain } from './pain-trend';
import { AlertEmailRecord, RunnerRecords, VisiblePainReport } from './runner-records';
import { ThisWeek, thisWeek } from './this-week';
import { thresholdsOf } from './runner-thresholds';
import { mostWornShoe, ShoeStatus, shoeStatus } from './shoe-status';
import { ImportEntry, IMPORTS_PAGE_SIZE, toImportEntry } from './runner-imports';

export const RUNNER_PAGE_WEEKS = 26;
/** Runs read before the charted range, so the ACWR's 28-day EWMA has settled when the chart starts. */
const ACWR_WARM_UP_DAYS = 84;

/** "Context, not an alert": the band often quoted for ACWR (Gabbett 2016), with weak evidence for runners. */
export const ACWR_BAND = { low: 0.8, high: 1.3 } as const;

export interface WeekWithAlerts {
  weekStart: string;
  distanceM: number;
  runs: number;
  /** Alerts that began that week. */
  alerts: OpenAlertBadge[];
}

export interface AlertHistoryEntry {
  id: string;
  rule: RuleId;
  severity: Severity;
  state: 'open' | 'resolved';
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  /** Set when the lifecycle decided to email it; notifiedAt once the email went out. */
  notifyRequestedAt: Date | null;
  notifiedAt: Date | null;
  notifiedSeverity: Severity | null;
  /** The engine's message pieces and the numbers behind them (empty when withheld). */
  message: Record<string, unknown>;
  facts: Record<string, unknown>;
  /** True when the facts came from Strava data the viewer may not see: only rule, severity, state and dates are shown. */
  detailsWithheld: boolean;
  /** The email as libs/notify words it (subject, facts, suggestions…), in the runner's units; null when withheld. */
  email: AlertContent | null;
  /** Each time it was (to be) emailed, newest first. */
  deliveries: AlertEmailRecord[];
  /** The acknowledgement or dismissal in force, and when. */
  response: AlertResponse | null;
  responseAt: Date | null;
  /** What the runner and their coaches did about it, oldest first. */
  actions: AlertActionEntry[];
}

/** One action on an alert as the page shows it. */
export interface AlertActionEntry {
  action: AlertResponse | 'withdrawn';
  reason: DismissReason | null;
  note: string | null;
  severity: Severity;
  at: Date;
  /** Who: null once their account is gone; `isViewer` when it was the one looking. */
  actor: { id: string; name: string; isViewer: boolean } | null;
}

export interface RunnerOverviewData {
  runner: { id: string; name: string; units: DistanceUnit; timezone: string };
  /** The newest run shown, and its pain report (the runner page asks how it felt). */
  latestRun: {
    id: string;
    startUtc: Date;
    utcOffsetS: number;
    distanceM: number;
    name: string | null;
    painReport: Omit<VisiblePainReport, 'userId'> | null;
  } | null;
  view: RunnerView;
  asOf: Date;
  summary: LoadSummary;
  attention: AttentionReason[];
  latestPain: LatestPain | null;
  weekly: WeekWithAlerts[];
  runRatios: { runId: string | undefined; date: string; distanceM: number; previousLongestM: number | null; ratio: number | null }[];
  spikeThresholds: { caution: number; high: number };
  acwr: { date: string; ratio: number | null }[];
  acwrBand: typeof ACWR_BAND;
  pain: (Omit<VisiblePainReport, 'userId'> & { date: string })[];
  shoes: ShoeStatus[];
  alerts: AlertHistoryEntry[];
  /** What to do this week: the suggestions of the open alert an email would lead with. */
  thisWeek: ThisWeek;
  imports: ImportEntry[];
  /** How the pages name each rule (for chart tooltips). */
  ruleTitles: typeof RULE_TITLES;
}

export function displayName(user: { displayName: string | null; email: string }): string {
  return user.displayName?.trim() || user.email;
}

/** Everything the runner page shows, for the runner or one of their coaches (RunnerAccess decides). */
@Injectable()
export class RunnerOverview {
  constructor(
    private readonly access: RunnerAccess,
    private readonly users: UsersService,
    private readonly records: RunnerRecords,
  ) {}

  async forViewer(viewer: Viewer, runnerId: string, now = new Date()): Promise<RunnerOverviewData> {
    const view = await this.access.viewOf(viewer, runnerId);
    const runner = await this.users.byId(runnerId);
    const thresholds = thresholdsOf(runner);
    const calendar = new LocalCalendar(runner.timezone);
    const today = calendar.dayOf(now);
    const chartFrom = new Date(calendar.startOf(today - 7 * RUNNER_PAGE_WEEKS));
    const loadFrom = new Date(calendar.startOf(today - 7 * RUNNER_PAGE_WEEKS - ACWR_WARM_UP_DAYS));
    const scope = [{ runnerId, includeStravaData: view.includeStravaData }];
    const [runs, pain, shoes, alerts, imports] = await Promise.all([
      this.records.runs(scope, loadFrom).then((byRunner) => byRunner.get(runnerId) ?? []),
      this.records.painReports(scope, chartFrom).then((byRunner) => byRunner.get(runnerId) ?? []),
      this.records.shoes(scope).then((byRunner) => byRunner.get(runnerId) ?? []),
      this.records.alertHistory(runnerId),
      this.records.importHistory(runnerId, IMPORTS_PAGE_SIZE),
    ]);
    const alertIds = alerts.map((alert) => alert.id);
    const [emails, actions] = await Promise.all([this.records.alertEmails(runnerId, alertIds), this.records.alertActions(alertIds)]);
    const entries = alerts.map((stored) =>
      this.alertEntry(stored, view, runner.units, emails.get(stored.id) ?? [], actions.get(stored.id) ?? [], viewer),
    );
    const summary = loadSummary(runs, runner.timezone, now, { syncedThrough: runner.lastSyncedAt });
    const newest = runs.at(-1);
    const shoeStatuses = shoes.map((shoe) => shoeStatus(shoe, thresholds));
    const openAlerts = alerts
      .filter((alert) => alert.state === 'open')
      .map((alert) => ({ rule: alert.rule, severity: alert.severity, response: alert.response }));
    const painLatest = latestPain(pain);
    const inChart = (date: string) => date >= dateOf(chartFrom, calendar);
    return {
      runner: { id: runner.id, name: displayName(runner), units: runner.units, timezone: runner.timezone },
      latestRun: newest
        ? {
            id: newest.id,
            startUtc: newest.startUtc,
            utcOffsetS: newest.utcOffsetS,
            distanceM: newest.distanceM,
            name: newest.name,
            painReport: pain.find((report) => report.runId === newest.id) ?? null,
          }
        : null,
      view,
      asOf: now,
      summary,
      attention: attentionReasons({ summary, openAlerts, pain: painLatest, shoe: mostWornShoe(shoes, thresholds), thresholds, now }),
      latestPain: painLatest,
      weekly: this.weeksWithAlerts(runs, alerts, runner.timezone, chartFrom, now, calendar),
      runRatios: singleRunRatios(runs, runner.timezone).filter((entry) => inChart(entry.date)),
      spikeThresholds: { caution: thresholds['single-run-spike'].caution, high: thresholds['single-run-spike'].high },
      acwr: acwrSeries(runs, runner.timezone, { to: now })
        .filter((point) => inChart(point.date))
        .map((point) => ({ date: point.date, ratio: point.ratio })),
      acwrBand: ACWR_BAND,
      pain: pain.map(({ userId: _userId, ...report }) => ({ ...report, date: dateOf(report.startUtc, calendar) })),
      shoes: shoeStatuses,
      alerts: entries,
      thisWeek: thisWeek(entries),
      ruleTitles: RULE_TITLES,
      imports: imports.map(toImportEntry),
    };
  }

  private alertEntry(
    stored: AlertEntity,
    view: RunnerView,
    units: DistanceUnit,
    deliveries: AlertEmailRecord[],
    actions: AlertActionRecord[],
    viewer: Viewer,
  ): AlertHistoryEntry {
    const alert = alertForViewer(stored, view.includeStravaData);
    return {
      id: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      state: alert.state,
      firstSeenAt: alert.firstSeenAt,
      lastSeenAt: alert.lastSeenAt,
      resolvedAt: alert.resolvedAt,
      notifyRequestedAt: alert.notifyRequestedAt,
      notifiedAt: alert.notifiedAt,
      notifiedSeverity: alert.notifiedSeverity,
      message: alert.message,
      facts: alert.facts,
      detailsWithheld: alert.detailsWithheld,
      email: alert.detailsWithheld ? null : alertContent(alert, units),
      deliveries,
      response: alert.response,
      responseAt: alert.responseAt,
      actions: actions.map(({ action, reason, note, severity, at, actor }) => ({
        action,
        reason,
        note,
        severity,
        at,
        actor: actor && { ...actor, isViewer: actor.id === viewer.id },
      })),
    };
  }

  private weeksWithAlerts(
    runs: Parameters<typeof weeklyDistanceSeries>[0],
    alerts: { rule: RuleId; severity: Severity; firstSeenAt: Date }[],
    timezone: string,
    from: Date,
    now: Date,
    calendar: LocalCalendar,
  ): WeekWithAlerts[] {
    const weeks = weeklyDistanceSeries(runs, timezone, { from, to: now }).slice(-RUNNER_PAGE_WEEKS);
    const byWeek = new Map(weeks.map((week) => [week.weekStart, [] as OpenAlertBadge[]]));
    for (const alert of alerts) {
      byWeek.get(dateOfDay(mondayOf(calendar.dayOf(alert.firstSeenAt))))?.push({ rule: alert.rule, severity: alert.severity });
    }
    return weeks.map((week) => ({ ...week, alerts: byWeek.get(week.weekStart) ?? [] }));
  }
}

function dateOf(instant: Date, calendar: LocalCalendar): string {
  return dateOfDay(calendar.dayOf(instant));
}
