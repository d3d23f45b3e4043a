import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThanOrEqual } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DistanceUnit } from '@deload/domain';
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
import { loadRunnerHistory, RunnerHistory } from './runner-history';

/** What one evaluation did. */
export interface EvaluationOutcome {
  userId: string;
  /** The instant evaluated; also the notify_requested_at written for the alerts to notify (a notify job id can carry it). */
  evaluatedAt: Date;
  /**
   * Alerts that must be emailed now: their notify_requested_at was set to the evaluation instant.
   * The caller enqueues `notify` for each id; the notifier sends an alert when notify_requested_at
   * is later than its notified_at, so a retried job never emails twice.
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
 * the same decisions as `deload replay`) in one transaction. Concurrent evaluations of one runner
 * are serialised by an advisory lock, so the "one open alert per episode" index is never raced.
 */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger(EvaluationService.name);

  constructor(private readonly dataSource: DataSource) {}

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
      return this.applyLifecycle(manager, { userId, asOf, calendar, thresholds, evaluation, stravaData: history.stravaData });
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
    context: {
      userId: string;
      asOf: Date;
      calendar: LocalCalendar;
      thresholds: Thresholds;
      evaluation: Evaluation;
      stravaData: RunnerHistory['stravaData'];
    },
  ): Promise<EvaluationOutcome> {
    const { userId, asOf, calendar, thresholds, evaluation, stravaData } = context;
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
    const usesStravaData = (condition: Condition) =>
      stravaData.inWindow || (condition.rule === 'worn-shoes' && stravaData.shoeIds.has(String(condition.facts.shoeId)));
    return writeDecision(manager, userId, asOf, decision, usesStravaData);
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

async function writeDecision(
  manager: EntityManager,
  userId: string,
  asOf: Date,
  decision: LifecycleDecision,
  usesStravaData: (condition: Condition) => boolean,
): Promise<EvaluationOutcome> {
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
    const changes = { ...contentOf(condition, usesStravaData), lastSeenAt: asOf, ...(notify ? notifyRequest(condition, asOf) : {}) };
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
      ...contentOf(condition, usesStravaData),
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

/** What an alert says, and whether that came from Strava data (then it is shown only where Strava data may be). */
function contentOf(
  condition: Condition,
  usesStravaData: (condition: Condition) => boolean,
): Pick<AlertEntity, 'severity' | 'facts' | 'message' | 'usesStravaData'> {
  return {
    severity: condition.severity,
    facts: condition.facts,
    message: { ...condition.message },
    usesStravaData: usesStravaData(condition),
  };
}

function notifyRequest(condition: Condition, asOf: Date): Pick<AlertEntity, 'notifyRequestedAt' | 'notifyRequestedSeverity'> {
  return { notifyRequestedAt: asOf, notifyRequestedSeverity: condition.severity };
}
