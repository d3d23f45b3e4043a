import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { RunsRepository } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { StravaApi } from '../api/strava-api';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { STRAVA_PROVIDER, StravaWebhookInbox } from '../webhooks/strava-webhook-inbox.service';

/** Days of activities the daily reconciliation compares with what we stored (one list page holds them all). */
export const RECONCILE_LOOKBACK_DAYS = 7;
const FAN_OUT_BATCH = 500;

export interface ReconcileResult {
  listed: number;
  missing: number;
}

/**
 * The safety net under webhooks: once a day, per connected runner, one list request (the last
 * RECONCILE_LOOKBACK_DAYS, background share of the rate budget) and every listed activity we have
 * neither stored nor waiting in the inbox goes into the inbox as a `reconciliation` event, fetched
 * and stored like a pushed one. Catches events Strava never delivered or that were lost before
 * the inbox (Strava gives up after three tries).
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
  ) {}

  /** The daily cron's job: one job per runner whose history import is done (job ids carry the day, so once a day). */
  async queueDaily(day: string): Promise<number> {
    const userIds = await this.connections.backfilledUserIds();
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

  async reconcile(userId: string, now = new Date()): Promise<ReconcileResult> {
    const connection = await this.connections.byUser(userId);
    if (!connection?.backfilledAt) return { listed: 0, missing: 0 }; // the history import lists everything anyway
    const after = Math.floor((now.getTime() - RECONCILE_LOOKBACK_DAYS * 86_400_000) / 1000);
    let activities;
    try {
      activities = await this.api.activities(connection, { after, page: 1, perPage: 200 }, 'background');
    } catch (error) {
      throw error instanceof StravaAccessRevokedError ? new UnrecoverableError(error.message) : error;
    }
    const listed = activities.map((activity) => String(activity.id));
    const missing = listed.length ? await this.notSeen(userId, String(connection.athleteId), listed) : [];
    await this.inbox.recordMissing(String(connection.athleteId), missing, now);
    return { listed: listed.length, missing: missing.length };
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
