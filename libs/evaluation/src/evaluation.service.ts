import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DistanceUnit } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { AlertEntity, AlertsRepository, PainReportsRepository, RunsRepository, ShoesRepository, UserEntity, UsersRepository } from '@deload/persistence';
import {
  AlertSnapshot,
  Condition,
  decideLifecycle,
  EmailMark,
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
    private readonly users: UsersRepository,
    private readonly events: DomainEvents,
    private readonly runs: RunsRepository,
    private readonly painReports: PainReportsRepository,
    private readonly shoes: ShoesRepository,
    private readonly alerts: AlertsRepository,
  ) {}

  async evaluate(userId: string, asOf: Date = new Date()): Promise<EvaluationOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await this.alerts.lockRunnerEvaluation(userId, manager);
      const user = await this.users.byId(userId, manager);
      if (!user)
        return { userId, evaluatedAt: asOf, alertIdsToNotify: [], opened: [], refreshed: [], resolved: [], skipped: 'user not found' };
      const { calendar, thresholds } = this.profileOf(user);
      const history = await loadRunnerHistory(
        { runs: this.runs, painReports: this.painReports, shoes: this.shoes },
        userId,
        windowStart(asOf, calendar.timezone),
        asOf,
        manager,
      );
      const evaluation = evaluate({
        profile: { timezone: calendar.timezone, thresholds, units: user.units as DistanceUnit },
        asOf,
        syncedThrough: user.lastSyncedAt,
        historyStart: history.historyStart,
        runs: history.runs,
        painReports: history.painReports,
        shoes: history.shoes,
      });
      const outcome = await this.applyLifecycle(manager, { user, asOf, calendar, thresholds, evaluation, stravaData: history.stravaData });
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
    context: {
      user: UserEntity;
      asOf: Date;
      calendar: LocalCalendar;
      thresholds: Thresholds;
      evaluation: Evaluation;
      stravaData: RunnerHistory['stravaData'];
    },
  ): Promise<EvaluationOutcome> {
    const { user, asOf, calendar, thresholds, evaluation, stravaData } = context;
    const userId = user.id;
    const today = calendar.dayOf(asOf);
    const since = new Date(calendar.startOf(today - lookbackDays(thresholds)));
    // Every alert ever emailed was covered then (covered_at ≥ notify_requested_at).
    const alerts = await this.alerts.openOrCoveredSince(userId, since, manager);
    const lastEmailAt = await this.alerts.lastEmailRequestAt(userId, asOf, manager);
    const decision = decideLifecycle({
      today,
      conditions: evaluation.conditions,
      judgedRules: evaluation.judgedRules,
      alerts: alerts.map((alert) => snapshotOf(alert, calendar)),
      lastEmailDay: lastEmailAt ? calendar.dayOf(lastEmailAt) : null,
      thresholds,
      level: user.alertEmails,
    });
    const usesStravaData = (condition: Condition) =>
      stravaData.inWindow || (condition.rule === 'worn-shoes' && stravaData.shoeIds.has(String(condition.facts.shoeId)));
    return writeDecision(this.alerts, manager, userId, asOf, decision, usesStravaData);
  }
}

function snapshotOf(alert: AlertEntity, calendar: LocalCalendar): AlertSnapshot {
  return {
    id: alert.id,
    rule: alert.rule,
    dedupeKey: alert.dedupeKey,
    state: alert.state,
    severity: alert.severity,
    firstSeenDay: calendar.dayOf(alert.firstSeenAt),
    coveredDay: alert.coveredAt ? calendar.dayOf(alert.coveredAt) : null,
    coveredSeverity: alert.coveredSeverity,
    episodeStart: alert.episodeStart,
    response:
      alert.response && alert.responseAt && alert.responseSeverity
        ? { kind: alert.response, day: calendar.dayOf(alert.responseAt), severity: alert.responseSeverity }
        : null,
  };
}

/**
 * Writes the decision: resolved, refreshed and new alerts; every alert in today's email or settled
 * without one is marked covered; the lead gets the email request and the list of the others.
 */
async function writeDecision(
  alerts: AlertsRepository,
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
  if (decision.resolve.length) await alerts.resolve(decision.resolve, asOf, manager);
  const inEmail: { id: string; email: EmailMark; condition: Condition }[] = [];
  for (const { alertId, condition, email } of decision.refresh) {
    const changes = { ...contentOf(condition, usesStravaData), lastSeenAt: asOf, ...coverage(email, asOf) };
    await alerts.update(alertId, changes, manager);
    outcome.refreshed.push(alertId);
    if (email && email.role !== 'settled') inEmail.push({ id: alertId, email, condition });
  }
  for (const { condition, email } of decision.open) {
    const saved = await alerts.open(
      {
        userId,
        rule: condition.rule,
        dedupeKey: condition.dedupeKey,
        ...contentOf(condition, usesStravaData),
        state: 'open',
        firstSeenAt: asOf,
        lastSeenAt: asOf,
        ...coverage(email, asOf),
      },
      manager,
    );
    outcome.opened.push(saved.id);
    if (email && email.role !== 'settled') inEmail.push({ id: saved.id, email, condition });
  }
  const lead = inEmail.find((entry) => entry.email.role === 'lead');
  if (lead) {
    const also = inEmail.filter((entry) => entry !== lead).sort((a, b) => a.email.position - b.email.position);
    await alerts.requestEmail(lead.id, { at: asOf, severity: lead.condition.severity, also: also.map((entry) => entry.id) }, manager);
    outcome.alertIdsToNotify.push(lead.id);
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

function coverage(email: EmailMark | null, asOf: Date): Partial<Pick<AlertEntity, 'coveredAt' | 'coveredSeverity' | 'episodeStart'>> {
  if (!email) return {};
  return { coveredAt: asOf, coveredSeverity: email.coveredSeverity, ...(email.startsEpisode ? { episodeStart: true } : {}) };
}
