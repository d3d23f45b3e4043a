import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThanOrEqual } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { AlertResponse, RuleId, Severity } from '@deload/domain';
import { AlertEntity } from '../entities/alert.entity';
import { TableRepository } from './table-repository';

/** An alert whose email was asked for at `notifyRequestedAt` and has not gone out since. */
export interface EmailRequest {
  id: string;
  notifyRequestedAt: Date;
}

/** What the lead alert of an email records when the email is asked for. */
export interface EmailRequestFields {
  at: Date;
  severity: Severity;
  /** The other alerts the email carries under "also this week", in order. */
  also: string[];
}

/** A warning sign as badges and lists show it. */
export interface OpenSign {
  rule: RuleId;
  severity: Severity;
}

/** alerts: the warning signs the rules raised for a runner, and the emails asked for them. */
@Injectable()
export class AlertsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Serialises the evaluations of one runner until the transaction ends (so "one open alert per episode" is never raced). */
  async lockRunnerEvaluation(userId: string, tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('deload-evaluate-' || $1))`, [userId]);
  }

  async byId(id: string): Promise<AlertEntity | null> {
    return this.db().findOneBy(AlertEntity, { id });
  }

  /**
   * The runner's open alerts and those covered by an email, acknowledged or dismissed since
   * `coveredSince` (what the lifecycle decides on).
   */
  async openOrCoveredSince(userId: string, coveredSince: Date, tx?: EntityManager): Promise<AlertEntity[]> {
    return this.db(tx).find(AlertEntity, {
      where: [
        { userId, state: 'open' },
        { userId, coveredAt: MoreThanOrEqual(coveredSince) },
        { userId, responseAt: MoreThanOrEqual(coveredSince) },
      ],
    });
  }

  /** Sets the acknowledgement or dismissal in force (null: none), with when and the alert's severity then. */
  async setResponse(id: string, response: { kind: AlertResponse; at: Date; severity: Severity } | null, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(
      AlertEntity,
      { id },
      { response: response?.kind ?? null, responseAt: response?.at ?? null, responseSeverity: response?.severity ?? null },
    );
  }

  /** The runner's open alerts and those seen since `seenSince`. */
  async openOrSeenSince(userId: string, seenSince: Date): Promise<AlertEntity[]> {
    return this.db().find(AlertEntity, {
      where: [
        { userId, state: 'open' },
        { userId, lastSeenAt: MoreThanOrEqual(seenSince) },
      ],
    });
  }

  /** When an email was last asked for the runner, up to `asOf`. */
  async lastEmailRequestAt(userId: string, asOf: Date, tx?: EntityManager): Promise<Date | null> {
    const [latest] = await this.db(tx).query(
      `SELECT max(notify_requested_at) AS at FROM alerts WHERE user_id = $1 AND notify_requested_at <= $2`,
      [userId, asOf],
    );
    return latest?.at ?? null;
  }

  /** Resolves those of these alerts that are open. */
  async resolve(ids: readonly string[], at: Date, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(AlertEntity, { id: In([...ids]), state: 'open' }, { state: 'resolved', resolvedAt: at });
  }

  async update(id: string, changes: Partial<AlertEntity>, tx?: EntityManager): Promise<void> {
    // TypeORM's deep-partial type cannot see that a jsonb Record is written whole.
    await this.db(tx).update(AlertEntity, { id }, changes as QueryDeepPartialEntity<AlertEntity>);
  }

  /** Stores a new alert; returns it with its id. */
  async open(alert: Partial<AlertEntity>, tx?: EntityManager): Promise<AlertEntity> {
    const db = this.db(tx);
    return db.save(db.create(AlertEntity, alert));
  }

  /** Asks for the email this alert leads. */
  async requestEmail(id: string, request: EmailRequestFields, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(
      AlertEntity,
      { id },
      { notifyRequestedAt: request.at, notifyRequestedSeverity: request.severity, notifyAlso: request.also },
    );
  }

  /** Among these alerts, those waiting for their email. */
  async awaitingEmailAmong(ids: readonly string[]): Promise<EmailRequest[]> {
    const rows: { id: string; notify_requested_at: Date }[] = await this.db().query(
      `SELECT id, notify_requested_at FROM alerts
        WHERE id = ANY($1::uuid[]) AND notify_requested_at IS NOT NULL
          AND (notified_at IS NULL OR notified_at < notify_requested_at)`,
      [ids],
    );
    return rows.map(toEmailRequest);
  }

  /**
   * Open alerts whose email was asked for before `requestedBefore` and neither went out nor was
   * decided against (no sent or skipped email_deliveries row for the request), oldest first.
   */
  async unansweredEmailRequests(requestedBefore: Date, limit: number): Promise<EmailRequest[]> {
    const rows: { id: string; notify_requested_at: Date }[] = await this.db().query(
      `SELECT a.id, a.notify_requested_at FROM alerts a
        WHERE a.notify_requested_at IS NOT NULL
          AND (a.notified_at IS NULL OR a.notified_at < a.notify_requested_at)
          AND a.state = 'open'
          AND a.notify_requested_at < $1
          AND NOT EXISTS (
            SELECT 1 FROM email_deliveries d
             WHERE d.kind = 'alert' AND d.status IN ('sent', 'skipped')
               AND d.dedupe_key = a.id::text || '-' || floor(extract(epoch FROM a.notify_requested_at) * 1000)::bigint::text)
        ORDER BY a.notify_requested_at
        LIMIT ${Number(limit)}`,
      [requestedBefore],
    );
    return rows.map(toEmailRequest);
  }

  /** How many of these runners' alerts wait for an email not decided against (the demo waits for them). */
  async countAwaitingEmail(userIds: readonly string[]): Promise<number> {
    const [{ count }] = await this.db().query(
      `SELECT count(*)::int AS count FROM alerts a
        WHERE a.user_id = ANY($1) AND a.notify_requested_at IS NOT NULL
          AND (a.notified_at IS NULL OR a.notified_at < a.notify_requested_at)
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.kind = 'alert' AND d.status = 'skipped'
                           AND d.dedupe_key LIKE a.id || '%')`,
      [userIds],
    );
    return count;
  }

  /**
   * Records the email that answered the request of `requestedAtMs` (even if a newer request came
   * in meanwhile); never earlier than the request, whatever the clocks of two processes say.
   */
  async markNotified(id: string, severity: Severity, requestedAtMs: number, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE alerts SET notified_at = greatest(now(), notify_requested_at), notified_severity = $2
        WHERE id = $1 AND floor(extract(epoch FROM notify_requested_at) * 1000)::bigint = $3`,
      [id, severity, requestedAtMs],
    );
  }

  /** These alerts of the runner (in no particular order; missing ones left out). */
  async ofUser(userId: string, ids: readonly string[]): Promise<AlertEntity[]> {
    return this.db().findBy(AlertEntity, { id: In([...ids]), userId });
  }

  /** Ids of the alerts an email that went out carried under "also this week". */
  async carriedByEmails(userId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db().query(
      `SELECT DISTINCT unnest(notify_also)::text AS id FROM alerts WHERE user_id = $1 AND notified_at IS NOT NULL`,
      [userId],
    );
    return rows.map((row) => row.id);
  }

  /** The runner's open alerts, by rule. */
  async openSignsOf(userId: string): Promise<OpenSign[]> {
    return this.db().query(`SELECT rule, severity FROM alerts WHERE user_id = $1 AND state = 'open' ORDER BY rule`, [userId]);
  }

  /** The open alerts of these runners, oldest first. */
  async openOf(userIds: readonly string[]): Promise<Pick<AlertEntity, 'userId' | 'rule' | 'severity' | 'firstSeenAt' | 'response'>[]> {
    if (!userIds.length) return [];
    return this.db().find(AlertEntity, {
      select: { userId: true, rule: true, severity: true, firstSeenAt: true, response: true },
      where: { userId: In([...userIds]), state: 'open' },
      order: { firstSeenAt: 'ASC' },
    });
  }

  /** The runner's alerts, newest first (open and resolved). */
  async historyOf(userId: string, limit: number): Promise<AlertEntity[]> {
    return this.db().find(AlertEntity, { where: { userId }, order: { firstSeenAt: 'DESC' }, take: limit });
  }

  /**
   * The runner's alerts a run took part in, newest first: those whose facts name it (the spike's
   * run, cadence-drop's runs, pain-earlier's reports) and the load alerts whose window holds its
   * local date `localDate` (YYYY-MM-DD) — weekly increase, downhill, monotony.
   */
  async involvingRun(userId: string, runId: string, localDate: string): Promise<AlertEntity[]> {
    const rows: { id: string }[] = await this.db().query(
      `SELECT id FROM alerts
        WHERE user_id = $1
          AND (facts->>'runId' = $2 OR facts->'runIds' ? $2 OR facts->'reports' @> jsonb_build_array(jsonb_build_object('runId', $2::text))
               OR (facts ? 'windowStart' AND $3::date BETWEEN (facts->>'windowStart')::date AND (facts->>'windowEnd')::date))`,
      [userId, runId, localDate],
    );
    if (!rows.length) return [];
    return this.db().find(AlertEntity, { where: { id: In(rows.map((row) => row.id)) }, order: { firstSeenAt: 'DESC' } });
  }

  /** Deletes the runner's alerts computed from Strava data; returns how many. */
  async deleteStravaDerived(userId: string, tx?: EntityManager): Promise<number> {
    const [, deleted] = await this.db(tx).query(`DELETE FROM alerts WHERE user_id = $1 AND uses_strava_data`, [userId]);
    return Number(deleted ?? 0);
  }
}

function toEmailRequest(row: { id: string; notify_requested_at: Date }): EmailRequest {
  return { id: row.id, notifyRequestedAt: row.notify_requested_at };
}
