import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { RunsRepository, type StravaConnectionEntity } from '@deload/persistence';
import { JobQueue, RedisClient } from '@deload/queue';
import { StravaApi } from '../api/strava-api';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaClock } from '../clock/strava-clock';
import { StravaConnections } from '../connections/strava-connections.service';
import { dueUserIds } from './due-stamps';
import type { StravaPriority } from '../rate-limit/budget-planner';
import { DAILY_JOB_GRACE_DAYS } from './strava-shoes.service';
import { STRAVA_PROVIDER, StravaWebhookInbox } from '../webhooks/strava-webhook-inbox.service';

/** A runner's activities are compared with what we stored at most this often (one list request). */
export const RECONCILE_EVERY_DAYS = 14;
/** Days of activities a reconciliation compares (one list page holds them all); a day more than the interval, so none falls between two. */
export const RECONCILE_LOOKBACK_DAYS = RECONCILE_EVERY_DAYS + 1;
const FAN_OUT_BATCH = 500;

export interface ReconcileResult {
  listed: number;
  missing: number;
}

/**
 * The safety net under webhooks: once every RECONCILE_EVERY_DAYS (two weeks) per connected runner, one list
 * request (the last RECONCILE_LOOKBACK_DAYS, from spare budget) and every listed activity we have
 * neither stored nor waiting in the inbox goes into the inbox as a `reconciliation` event, fetched
 * and stored like a pushed one. Catches events Strava never delivered or that were lost before
 * the inbox (Strava gives up after three tries). A runner who runs is reconciled right after a
 * webhook fetch, while their token is fresh (reconcileIfDue: no token refresh of its own); the
 * daily job queues only the runners not reconciled within the interval.
 */
@Injectable()
export class StravaReconciliation {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly api: StravaApi,
    private readonly connections: StravaConnections,
    private readonly inbox: StravaWebhookInbox,
    private readonly jobs: JobQueue,
    private readonly runs: RunsRepository,
    private readonly redisClient: RedisClient,
    private readonly clock: StravaClock,
  ) {}

  /**
   * The daily cron's job: one job per runner whose history import is done and who was not reconciled
   * in RECONCILE_EVERY_DAYS + DAILY_JOB_GRACE_DAYS (job ids carry the day, so once a day).
   */
  async queueDaily(day: string): Promise<number> {
    const userIds = await this.dueUserIds(await this.connections.backfilledUserIds(), DAILY_JOB_GRACE_DAYS);
    for (let start = 0; start < userIds.length; start += FAN_OUT_BATCH) {
      await this.jobs.addBulk(
        'strava-reconcile',
        userIds.slice(start, start + FAN_OUT_BATCH).map((userId) => ({
          payload: { userId, day },
          options: { jobId: `strava-reconcile-${userId}-${day}` },
        })),
      );
    }
    return userIds.length;
  }

  /** The daily job of one runner: reconciled unless a webhook fetch did it since the job was queued. */
  async reconcileIfStillDue(userId: string): Promise<ReconcileResult> {
    if (!(await this.dueUserIds([userId])).length) return { listed: 0, missing: 0 };
    return this.reconcile(userId);
  }

  /** One runner, now. */
  async reconcile(userId: string, now = new Date(this.clock.now())): Promise<ReconcileResult> {
    const connection = await this.connections.byUser(userId);
    if (!connection?.backfilledAt) return { listed: 0, missing: 0 }; // the history import lists everything anyway
    try {
      return await this.reconcileConnection(connection, 'spare', now);
    } catch (error) {
      throw error instanceof StravaAccessRevokedError ? new UnrecoverableError(error.message) : error;
    }
  }

  /** After a webhook fetch (the token is fresh): reconciles the runner if they are due. Null when they were not. */
  async reconcileIfDue(connection: StravaConnectionEntity, priority: StravaPriority): Promise<ReconcileResult | null> {
    if (!connection.backfilledAt || !(await this.dueUserIds([connection.userId])).length) return null;
    return this.reconcileConnection(connection, priority, new Date(this.clock.now()));
  }

  /** Records a reconciliation (or a history import, which listed everything) at `at`: the next is due an interval later. */
  async markReconciled(userId: string, at = this.clock.now()): Promise<void> {
    await this.redisClient.redis.set(this.reconciledKey(userId), String(at), 'EX', RECONCILE_EVERY_DAYS * 2 * 86_400);
  }

  private async reconcileConnection(connection: StravaConnectionEntity, priority: StravaPriority, now: Date): Promise<ReconcileResult> {
    const after = Math.floor((now.getTime() - RECONCILE_LOOKBACK_DAYS * 86_400_000) / 1000);
    const activities = await this.api.activities(connection, { after, page: 1, perPage: 200 }, priority);
    const listed = activities.map((activity) => String(activity.id));
    const missing = listed.length ? await this.notSeen(connection.userId, String(connection.athleteId), listed) : [];
    await this.inbox.recordMissing(String(connection.athleteId), missing, now);
    await this.markReconciled(connection.userId, now.getTime());
    return { listed: listed.length, missing: missing.length };
  }

  /** Runners due (the interval plus `graceDays` since the last time, or never). */
  private dueUserIds(userIds: string[], graceDays = 0): Promise<string[]> {
    const dueBefore = this.clock.now() - (RECONCILE_EVERY_DAYS + graceDays) * 86_400_000;
    return dueUserIds(this.redisClient, (userId) => this.reconciledKey(userId), userIds, dueBefore);
  }

  private reconciledKey(userId: string): string {
    return this.redisClient.key('strava', 'reconciled', userId);
  }

  /**
   * Listed activities neither stored nor waiting in the inbox. The inbox is read first: an event
   * that stops being pending in between has stored its run by the time run_sources is read.
   */
  private async notSeen(userId: string, athleteId: string, activityIds: string[]): Promise<string[]> {
    const seen = new Set(await this.runs.stravaActivitiesStoredOrPending(userId, athleteId, activityIds, STRAVA_PROVIDER));
    return activityIds.filter((id) => !seen.has(id));
  }
}
