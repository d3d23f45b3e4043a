import { Injectable } from '@nestjs/common';
import { painReportForViewer } from '@deload/auth';
import type { AlertResponse, PainLocation, PainReportSource, RuleId, Severity } from '@deload/domain';
import {
  AlertActionRecord,
  AlertActionsRepository,
  AlertEmail,
  AlertEntity,
  AlertsRepository,
  EmailDeliveriesRepository,
  ImportFileEntity,
  ImportFilesRepository,
  PainReportsRepository,
  RunDistance,
  RunsRepository,
  ShoesRepository,
  VisibleRun,
} from '@deload/persistence';
import type { OpenAlertBadge } from './attention';
import type { PainPoint } from './pain-trend';
import type { ShoeDistance } from './shoe-status';

export type { VisibleRun } from '@deload/persistence';

/** Whose records to read, and whether Strava-sourced ones may be shown to the viewer. */
export interface RecordScope {
  runnerId: string;
  includeStravaData: boolean;
}

/** One email about an alert: sent, failed (retried by the notifier), sending, or skipped with the reason. */
export type AlertEmailRecord = Omit<AlertEmail, 'alertId'>;

export interface VisiblePainReport extends PainPoint {
  userId: string;
  source: PainReportSource;
  /** The runner's own words. */
  note: string | null;
}

function split(scopes: readonly RecordScope[]): [string[], string[]] {
  return [scopes.map((scope) => scope.runnerId), scopes.filter((scope) => scope.includeStravaData).map((scope) => scope.runnerId)];
}

/** Rows by their runner, in order. */
export function groupBy<T extends { userId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.userId);
    if (group) group.push(row);
    else groups.set(row.userId, [row]);
  }
  return groups;
}

/** Reads what the dashboard shows, applying the Strava rule in every query (one query per kind for a whole team). */
@Injectable()
export class RunnerRecords {
  constructor(
    private readonly runRecords: RunsRepository,
    private readonly painReportRecords: PainReportsRepository,
    private readonly shoeRecords: ShoesRepository,
    private readonly alerts: AlertsRepository,
    private readonly emails: EmailDeliveriesRepository,
    private readonly imports: ImportFilesRepository,
    private readonly actions: AlertActionsRepository,
  ) {}

  /** Running activities since `since`, oldest first, grouped by runner. */
  async runs(scopes: readonly RecordScope[], since: Date): Promise<Map<string, VisibleRun[]>> {
    const [ids, withStrava] = split(scopes);
    const rows = await this.runRecords.visibleSince(ids, withStrava, since);
    return groupBy(rows);
  }

  /** As runs, with only what a load summary reads (the team page: every runner's runs at once). */
  async runDistances(scopes: readonly RecordScope[], since: Date): Promise<Map<string, RunDistance[]>> {
    const [ids, withStrava] = split(scopes);
    return groupBy(await this.runRecords.distancesSince(ids, withStrava, since));
  }

  /** Pain reports on runs since `since`, oldest first; a report on a run the viewer may not see comes without it (painReportForViewer). */
  async painReports(scopes: readonly RecordScope[], since: Date): Promise<Map<string, VisiblePainReport[]>> {
    const [ids, withStrava] = split(scopes);
    const rows = await this.painReportRecords.visibleSince(ids, withStrava, since);
    const allowed = new Set(withStrava);
    return groupBy(
      rows.map((row) => painReportForViewer({ ...row, location: row.location as PainLocation | null }, allowed.has(row.userId))),
    );
  }

  /**
   * Shoes with their distance as libs/evaluation counts it: what the source last reported plus the
   * activities since (walks wear shoes too), or the sum of their activities when nothing was reported.
   */
  async shoes(scopes: readonly RecordScope[]): Promise<Map<string, (ShoeDistance & { userId: string })[]>> {
    const [ids, withStrava] = split(scopes);
    return groupBy(await this.shoeRecords.visibleWithDistance(ids, withStrava));
  }

  async openAlerts(
    runnerIds: readonly string[],
  ): Promise<Map<string, (OpenAlertBadge & { userId: string; firstSeenAt: Date; response: AlertResponse | null })[]>> {
    if (!runnerIds.length) return new Map();
    const rows = await this.alerts.openOf(runnerIds);
    return groupBy(
      rows.map((row) => ({
        userId: row.userId,
        rule: row.rule as RuleId,
        severity: row.severity as Severity,
        firstSeenAt: row.firstSeenAt,
        response: row.response,
      })),
    );
  }

  /** Alerts of one runner, newest first (open and resolved). */
  async alertHistory(runnerId: string, limit = 50): Promise<AlertEntity[]> {
    return this.alerts.historyOf(runnerId, limit);
  }

  /** The emails sent (or not) for these alerts, newest first, by alert id (email_deliveries, libs/notify). */
  async alertEmails(runnerId: string, alertIds: readonly string[]): Promise<Map<string, AlertEmailRecord[]>> {
    if (!alertIds.length) return new Map();
    const rows = await this.emails.aboutAlerts(runnerId, alertIds);
    const byAlert = new Map<string, AlertEmailRecord[]>();
    for (const { alertId, ...email } of rows) {
      const emails = byAlert.get(alertId);
      if (emails) emails.push(email);
      else byAlert.set(alertId, [email]);
    }
    return byAlert;
  }

  /** What runners and coaches did about these alerts, oldest first, by alert id. */
  async alertActions(alertIds: readonly string[]): Promise<Map<string, AlertActionRecord[]>> {
    const byAlert = new Map<string, AlertActionRecord[]>();
    for (const action of await this.actions.ofAlerts(alertIds)) {
      const actions = byAlert.get(action.alertId);
      if (actions) actions.push(action);
      else byAlert.set(action.alertId, [action]);
    }
    return byAlert;
  }

  async importHistory(runnerId: string, limit = 10, skip = 0): Promise<ImportFileEntity[]> {
    return this.imports.latestOf(runnerId, limit, skip);
  }
}
