import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThanOrEqual } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DistanceUnit } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { AlertEntity, UserEntity } from '@deload/persistence';
import {
  AlertSnapshot,
  Condition,
  decideLifecycle,
  DEFAULT_THRESHOLDS,
  evaluate,
  Evaluation,
  LifecycleDecision,
  LocalCalendar,
  lookbackDays,
  parseThresholds,
  Thresholds,
  windowStart,
} from '@deload/rules';
import { loadRunnerHistory } from './runner-history';

/** What one evaluation did. */
export interface EvaluationOutcome {
  userId: string;
  /** The instant evaluated; also the notify_requested_at written for the alerts to notify (a notify job id can carry it). */
  evaluatedAt: Date;
  /**
   * Alerts that must be emailed now: their notify_requested_at was set to the evaluation instant,
   * and `alert-emails-requested` was declared in the same transaction (their `notify` jobs follow
   * the commit). The notifier sends an alert when notify_requested_at is later than its
   * notified_at, so a retried job never emails twice.
   */
  alertIdsToNotify: string[];
  opened: string[];
  refreshed: string[];
  resolved: string[];
  /** Set when nothing was evaluated (e.g. the user no longer exists). */
  skipped?: string;
}

/**
 * Runs the rules engine for one runner and applies the alert lifecycle (libs/rules → lifecycle.ts,
 * the same decisions as `deload replay`) in one transaction, which also declares the emails it
 * asks for. Concurrent evaluations of one runner are serialised by an advisory lock, so the "one
 * open alert per episode" index is never raced.
 */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger(EvaluationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async evaluate(userId: string, asOf: Date = new Date()): Promise<EvaluationOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('deload-evaluate-' || $1))`, [userId]);
      const user = await manager.findOne(UserEntity, { where: { id: userId } });
      if (!user)
        return { userId, evaluatedAt: asOf, alertIdsToNotify: [], opened: [], refreshed: [], resolved: [], skipped: 'user not found' };
      const { calendar, thresholds } = this.profileOf(user);
      const history = await loadRunnerHistory(manager, userId, windowStart(asOf, calendar.timezone), asOf);
      const evaluation = evaluate({
        profile: { timezone: calendar.timezone, thresholds, units: user.units as DistanceUnit },
        asOf,
        syncedThrough: user.lastSyncedAt,
        historyStart: history.historyStart,
        runs: history.runs,
        painReports: history.painReports,
        shoes: history.shoes,
      });
      const outcome = await this.applyLifecycle(manager, { userId, asOf, calendar, thresholds, evaluation });
      if (outcome.alertIdsToNotify.length) {
        await this.events.record(manager, {
          type: 'alert-emails-requested',
          userId,
          alertIds: outcome.alertIdsToNotify,
          requestedAt: asOf.toISOString(),
        });
      }
      return outcome;
    });
  }

  /** The runner's zone and thresholds; stored values that no longer validate fall back to the defaults (and are logged). */
  private profileOf(user: UserEntity): { calendar: LocalCalendar; thresholds: Thresholds } {
    let timezone = user.timezone;
    if (!LocalCalendar.isValidZone(timezone)) {
      this.logger.warn(`user ${user.id}: unknown time zone "${timezone}", evaluating in UTC`);
      timezone = 'UTC';
    }
    let thresholds = DEFAULT_THRESHOLDS;
    try {
      thresholds = parseThresholds(user.ruleThresholds);
    } catch (error) {
      this.logger.warn(`user ${user.id}: ${(error as Error).message}; using the default thresholds`);
    }
    return { calendar: new LocalCalendar(timezone), thresholds };
  }

  private async applyLifecycle(
    manager: EntityManager,
    context: { userId: string; asOf: Date; calendar: LocalCalendar; thresholds: Thresholds; evaluation: Evaluation },
  ): Promise<EvaluationOutcome> {
    const { userId, asOf, calendar, thresholds, evaluation } = context;
    const today = calendar.dayOf(asOf);
    const since = new Date(calendar.startOf(today - lookbackDays(thresholds)));
    const alerts = await manager.find(AlertEntity, {
      where: [
        { userId, state: 'open' },
        { userId, notifyRequestedAt: MoreThanOrEqual(since) },
      ],
    });
    const [latest] = await manager.query(
      `SELECT max(notify_requested_at) AS at FROM alerts WHERE user_id = $1 AND notify_requested_at <= $2`,
      [userId, asOf],
    );
    const decision = decideLifecycle({
      today,
      conditions: evaluation.conditions,
      judgedRules: evaluation.judgedRules,
      alerts: alerts.map((alert) => snapshotOf(alert, calendar)),
      lastEmailDay: latest?.at ? calendar.dayOf(latest.at) : null,
      thresholds,
    });
    return writeDecision(manager, userId, asOf, decision);
  }
}

function snapshotOf(alert: AlertEntity, calendar: LocalCalendar): AlertSnapshot {
  return {
    id: alert.id,
    rule: alert.rule,
    dedupeKey: alert.dedupeKey,
    state: alert.state,
    severity: alert.severity,
    lastNotifyDay: alert.notifyRequestedAt ? calendar.dayOf(alert.notifyRequestedAt) : null,
    lastNotifySeverity: alert.notifyRequestedSeverity,
  };
}

async function writeDecision(manager: EntityManager, userId: string, asOf: Date, decision: LifecycleDecision): Promise<EvaluationOutcome> {
  const outcome: EvaluationOutcome = {
    userId,
    evaluatedAt: asOf,
    alertIdsToNotify: [],
    opened: [],
    refreshed: [],
    resolved: decision.resolve,
  };
  if (decision.resolve.length)
    await manager.update(AlertEntity, { id: In(decision.resolve), state: 'open' }, { state: 'resolved', resolvedAt: asOf });
  for (const { alertId, condition, notify } of decision.refresh) {
    const changes = { ...contentOf(condition), lastSeenAt: asOf, ...(notify ? notifyRequest(condition, asOf) : {}) };
    // TypeORM's deep-partial type cannot see that a jsonb Record is written whole.
    await manager.update(AlertEntity, { id: alertId }, changes as QueryDeepPartialEntity<AlertEntity>);
    outcome.refreshed.push(alertId);
    if (notify) outcome.alertIdsToNotify.push(alertId);
  }
  for (const { condition, notify } of decision.open) {
    const alert = manager.create(AlertEntity, {
      userId,
      rule: condition.rule,
      dedupeKey: condition.dedupeKey,
      ...contentOf(condition),
      state: 'open',
      firstSeenAt: asOf,
      lastSeenAt: asOf,
      ...(notify ? notifyRequest(condition, asOf) : {}),
    });
    const saved = await manager.save(alert);
    outcome.opened.push(saved.id);
    if (notify) outcome.alertIdsToNotify.push(saved.id);
  }
  return outcome;
}

function contentOf(condition: Condition): Pick<AlertEntity, 'severity' | 'facts' | 'message'> {
  return { severity: condition.severity, facts: condition.facts, message: { ...condition.message } };
}

function notifyRequest(condition: Condition, asOf: Date): Pick<AlertEntity, 'notifyRequestedAt' | 'notifyRequestedSeverity'> {
  return { notifyRequestedAt: asOf, notifyRequestedSeverity: condition.severity };
}
