import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { painReportForViewer, RUNNER_DATA_SQL } from '@deload/auth';
import type { PainLocation, PainReportSource, RuleId, Severity } from '@deload/domain';
import { AlertEntity, ImportFileEntity } from '@deload/persistence';
import type { OpenAlertBadge } from './attention';
import type { PainPoint } from './pain-trend';
import type { ShoeDistance } from './shoe-status';

/** Whose records to read, and whether Strava-sourced ones may be shown to the viewer. */
export interface RecordScope {
  runnerId: string;
  includeStravaData: boolean;
}

export interface VisibleRun {
  id: string;
  userId: string;
  startUtc: Date;
  utcOffsetS: number;
  distanceM: number;
  movingS: number | null;
  name: string | null;
  source: string;
}

/** One email about an alert: sent, failed (retried by the notifier), sending, or skipped with the reason. */
export interface AlertEmailRecord {
  messageId: string;
  status: 'sending' | 'sent' | 'failed' | 'skipped';
  sentAt: Date | null;
  note: string | null;
  /** The email another alert led, carrying this one under "also this week". */
  carried: boolean;
}

export interface VisiblePainReport extends PainPoint {
  userId: string;
  source: PainReportSource;
  /** The runner's own words. */
  note: string | null;
}

/** In every query below, $2 holds the runners whose Strava data the viewer may see (libs/auth runner-data-policy decides the rest). */
const STRAVA_ALLOWED = (alias: string) => `${alias}.user_id = ANY($2::uuid[])`;
const RUN_VISIBLE = RUNNER_DATA_SQL.runVisible('r', STRAVA_ALLOWED('r'));

function split(scopes: readonly RecordScope[]): [string[], string[]] {
  return [scopes.map((scope) => scope.runnerId), scopes.filter((scope) => scope.includeStravaData).map((scope) => scope.runnerId)];
}

function groupBy<T extends { userId: string }>(rows: T[]): Map<string, T[]> {
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectRepository(ImportFileEntity) private readonly imports: Repository<ImportFileEntity>,
  ) {}

  /** Running activities since `since`, oldest first, grouped by runner. */
  async runs(scopes: readonly RecordScope[], since: Date): Promise<Map<string, VisibleRun[]>> {
    const [ids, withStrava] = split(scopes);
    const rows: VisibleRun[] = await this.dataSource.query(
      `SELECT r.id, r.user_id AS "userId", r.start_utc AS "startUtc", r.utc_offset_s AS "utcOffsetS", r.distance_m AS "distanceM", r.moving_s AS "movingS",
              ${RUNNER_DATA_SQL.runTitle('r', STRAVA_ALLOWED('r'))} AS name, r.source
         FROM runs r
        WHERE r.user_id = ANY($1::uuid[]) AND r.is_run AND r.start_utc >= $3 AND ${RUN_VISIBLE}
        ORDER BY r.start_utc`,
      [ids, withStrava, since],
    );
    return groupBy(rows);
  }

  /** Pain reports on runs since `since`, oldest first; a report on a run the viewer may not see comes without it (painReportForViewer). */
  async painReports(scopes: readonly RecordScope[], since: Date): Promise<Map<string, VisiblePainReport[]>> {
    const [ids, withStrava] = split(scopes);
    const rows: (VisiblePainReport & { runId: string; reportedAt: Date; stravaOnlyRun: boolean })[] = await this.dataSource.query(
      `SELECT p.user_id AS "userId", p.run_id AS "runId", r.start_utc AS "startUtc", p.has_pain AS "hasPain", p.location,
              p.onset_m AS "onsetM", p.onset_s AS "onsetS", p.severity, p.source, p.note,
              p.created_at AS "reportedAt", ${RUNNER_DATA_SQL.stravaOnlyRun('r')} AS "stravaOnlyRun"
         FROM pain_reports p JOIN runs r ON r.id = p.run_id
        WHERE p.user_id = ANY($1::uuid[]) AND r.start_utc >= $3 AND ${RUNNER_DATA_SQL.painReportVisible('p', STRAVA_ALLOWED('p'))}
        ORDER BY r.start_utc`,
      [ids, withStrava, since],
    );
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
    const rows: (ShoeDistance & { userId: string })[] = await this.dataSource.query(
      `SELECT s.id, s.user_id AS "userId", s.name, s.source, s.retire_threshold_m AS "retireThresholdM", s.retired,
              CASE WHEN s.reported_distance_m IS NULL THEN coalesce(sum(r.distance_m), 0)
                   WHEN s.reported_at IS NULL THEN s.reported_distance_m
                   ELSE s.reported_distance_m + coalesce(sum(r.distance_m) FILTER (WHERE r.start_utc > s.reported_at), 0)
              END AS "distanceM"
         FROM shoes s LEFT JOIN runs r ON r.shoe_id = s.id AND ${RUN_VISIBLE}
        WHERE s.user_id = ANY($1::uuid[]) AND ${RUNNER_DATA_SQL.shoeVisible('s', STRAVA_ALLOWED('s'))}
        GROUP BY s.id
        ORDER BY s.retired, s.name`,
      [ids, withStrava],
    );
    return groupBy(rows.map((row) => ({ ...row, distanceM: Number(row.distanceM) })));
  }

  async openAlerts(runnerIds: readonly string[]): Promise<Map<string, (OpenAlertBadge & { userId: string; firstSeenAt: Date })[]>> {
    if (!runnerIds.length) return new Map();
    const rows = await this.alerts.find({
      select: { userId: true, rule: true, severity: true, firstSeenAt: true },
      where: { userId: In([...runnerIds]), state: 'open' },
      order: { firstSeenAt: 'ASC' },
    });
    return groupBy(
      rows.map((row) => ({
        userId: row.userId,
        rule: row.rule as RuleId,
        severity: row.severity as Severity,
        firstSeenAt: row.firstSeenAt,
      })),
    );
  }

  /** Alerts of one runner, newest first (open and resolved). */
  async alertHistory(runnerId: string, limit = 50): Promise<AlertEntity[]> {
    return this.alerts.find({ where: { userId: runnerId }, order: { firstSeenAt: 'DESC' }, take: limit });
  }

  /** The emails sent (or not) for these alerts, newest first, by alert id (email_deliveries, libs/notify). */
  async alertEmails(runnerId: string, alertIds: readonly string[]): Promise<Map<string, AlertEmailRecord[]>> {
    if (!alertIds.length) return new Map();
    // An alert's own emails, and the latest email of each alert that carries it (alerts.notify_also).
    const rows: (AlertEmailRecord & { alertId: string })[] = await this.dataSource.query(
      `SELECT a.id::text AS "alertId", d.message_id AS "messageId", d.status, d.sent_at AS "sentAt", d.last_error AS note,
              lead.id <> a.id AS carried
         FROM alerts a
         JOIN alerts lead ON lead.user_id = a.user_id AND (lead.id = a.id OR a.id = ANY(lead.notify_also))
         JOIN email_deliveries d ON d.kind = 'alert' AND d.user_id = a.user_id AND left(d.dedupe_key, 36) = lead.id::text
        WHERE a.user_id = $1 AND a.id = ANY($2::uuid[])
          AND (lead.id = a.id OR d.dedupe_key = lead.id::text || '-' || floor(extract(epoch FROM lead.notify_requested_at) * 1000)::bigint::text)
        ORDER BY d.created_at DESC`,
      [runnerId, alertIds],
    );
    const byAlert = new Map<string, AlertEmailRecord[]>();
    for (const { alertId, ...email } of rows) {
      const emails = byAlert.get(alertId);
      if (emails) emails.push(email);
      else byAlert.set(alertId, [email]);
    }
    return byAlert;
  }

  async importHistory(runnerId: string, limit = 10): Promise<ImportFileEntity[]> {
    return this.imports.find({ where: { userId: runnerId }, order: { createdAt: 'DESC' }, take: limit });
  }
}
