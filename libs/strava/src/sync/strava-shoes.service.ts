import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { ShoesRepository, type StravaConnectionEntity } from '@deload/persistence';
import { JobQueue, RedisClient } from '@deload/queue';
import { StravaApi } from '../api/strava-api';
import { StravaAccessRevokedError, StravaNotFoundError } from '../api/strava-errors';
import { StravaClock } from '../clock/strava-clock';
import { StravaConnections } from '../connections/strava-connections.service';
import { dueUserIds } from './due-stamps';
import { isShoeId, mapDetailedGear, mapSummaryGear, MeasurementPreference, StravaShoe } from '../mapping/gear-mapper';
import type { StravaPriority } from '../rate-limit/strava-rate-limiter';

/** A shoe's details (alert distance, retired) are read again after this long. */
const DETAILS_FRESH_S = 30 * 24 * 3600;
/**
 * A runner's shoe list (GET /athlete: distances, new and retired pairs) is read again after this
 * long, and only from spare budget. Between refreshes a shoe's distance is Strava's last figure
 * plus the runs stored on it since (ShoesRepository), and a run naming a pair we do not know
 * fetches that pair at once (ensureKnown).
 */
export const GEAR_REFRESH_DAYS = 30;
/** The daily job leaves a due runner this long to run first: a webhook fetch does it without a token refresh of its own. */
export const DAILY_JOB_GRACE_DAYS = 3;

/**
 * Shoes from Strava: GET /athlete lists them with their distance (one request for all), GET
 * /gear/{id} adds the alert distance (→ retire threshold) and is asked only for shoes not seen
 * in a month, or not in the athlete's list any more (retired). No blanket daily poll: the list is
 * read when the history is imported, then at most every GEAR_REFRESH_DAYS from spare budget —
 * right after a webhook fetch while the runner's token is fresh (refreshIfDue), or by the daily
 * job for runners who have not run since (queueDailyRefresh).
 */
@Injectable()
export class StravaShoes {
  constructor(
    private readonly shoes: ShoesRepository,
    private readonly api: StravaApi,
    private readonly connections: StravaConnections,
    private readonly redisClient: RedisClient,
    private readonly jobs: JobQueue,
    private readonly clock: StravaClock,
  ) {}

  /**
   * The daily cron's job: one refresh job for each connected runner whose shoes were not read in
   * GEAR_REFRESH_DAYS + DAILY_JOB_GRACE_DAYS (job ids carry the day, so once a day). They run from spare budget, so they
   * wait (delayed, not dropped) while webhooks and backfills need the requests.
   */
  async queueDailyRefresh(day: string): Promise<number> {
    const connections = await this.connections.all();
    const due = await this.dueUserIds(
      connections.map(({ userId }) => userId),
      DAILY_JOB_GRACE_DAYS,
    );
    for (const userId of due) await this.jobs.add('strava-gear', { userId, day }, { jobId: `strava-gear-${userId}-${day}` });
    return due.length;
  }

  /** The job of one runner. Access revoked at Strava is final: no retry can fix it. */
  async refreshForUser(userId: string): Promise<number> {
    const connection = await this.connections.byUser(userId);
    if (!connection) return 0;
    try {
      return await this.refreshIfDue(connection, 'spare');
    } catch (error) {
      throw error instanceof StravaAccessRevokedError ? new UnrecoverableError(error.message) : error;
    }
  }

  /** Refreshes the runner's shoes when they were not read in GEAR_REFRESH_DAYS; returns the requests made. */
  async refreshIfDue(connection: StravaConnectionEntity, priority: StravaPriority): Promise<number> {
    if (!(await this.dueUserIds([connection.userId])).length) return 0;
    return this.refresh(connection, priority);
  }

  /** Reads the athlete's shoes and stores them; returns how many Strava requests it made. */
  async refresh(connection: StravaConnectionEntity, priority: StravaPriority): Promise<number> {
    const athlete = await this.api.athlete(connection, priority);
    await this.markRefreshed(connection.userId);
    const listed = (athlete.shoes ?? []).filter((gear) => isShoeId(gear.id));
    for (const gear of listed) await this.store(connection.userId, mapSummaryGear(gear));
    const listedIds = new Set(listed.map((gear) => gear.id));
    const vanished = (await this.storedShoeIds(connection.userId)).filter((id) => !listedIds.has(id));
    let requests = 1;
    for (const gearId of [...listedIds, ...vanished]) {
      if (listedIds.has(gearId) && (await this.detailsFresh(connection.userId, gearId))) continue;
      await this.fetchDetails(connection, gearId, priority, athlete.measurement_preference);
      requests += 1;
    }
    return requests;
  }

  /** Makes sure a shoe a run points at is stored with Strava's name and figures (one request if it is new). */
  async ensureKnown(connection: StravaConnectionEntity, gearId: string, priority: StravaPriority): Promise<void> {
    const stored = await this.shoes.hasStravaDetails(connection.userId, gearId);
    if (!stored && !(await this.detailsFresh(connection.userId, gearId))) await this.fetchDetails(connection, gearId, priority);
  }

  private async fetchDetails(
    connection: StravaConnectionEntity,
    gearId: string,
    priority: StravaPriority,
    preference?: MeasurementPreference,
  ) {
    try {
      await this.store(connection.userId, mapDetailedGear(await this.api.gear(connection, gearId, priority), preference));
    } catch (error) {
      if (!(error instanceof StravaNotFoundError)) throw error;
      await this.store(connection.userId, { externalId: gearId, name: gearId, retired: true });
    }
    await this.stamp(this.checkedKey(connection.userId, gearId), this.clock.now(), DETAILS_FRESH_S);
  }

  /** Records that the runner's shoe list was read at `at` (epoch ms); the next reading is due GEAR_REFRESH_DAYS later. */
  async markRefreshed(userId: string, at = this.clock.now()): Promise<void> {
    await this.stamp(this.refreshedKey(userId), at, GEAR_REFRESH_DAYS * 86_400);
  }

  private async detailsFresh(userId: string, gearId: string): Promise<boolean> {
    const at = await this.redisClient.redis.get(this.checkedKey(userId, gearId));
    return at !== null && Number(at) + DETAILS_FRESH_S * 1000 > this.clock.now();
  }

  /** The time of the last reading (by StravaClock), kept a little past its interval. */
  private async stamp(key: string, at: number, freshS: number): Promise<void> {
    await this.redisClient.redis.set(key, String(at), 'EX', freshS * 2);
  }

  private async storedShoeIds(userId: string): Promise<string[]> {
    return this.shoes.activeStravaIds(userId);
  }

  /** Insert or update; what Strava did not say (no distance, no alert distance) keeps its stored value. */
  private async store(userId: string, shoe: StravaShoe): Promise<void> {
    await this.connections.whileConnected(userId, (manager) => this.shoes.upsertStrava(userId, shoe, manager));
  }

  /** Runners due (the interval plus `graceDays` since the last time, or never). */
  private dueUserIds(userIds: string[], graceDays = 0): Promise<string[]> {
    const dueBefore = this.clock.now() - (GEAR_REFRESH_DAYS + graceDays) * 86_400_000;
    return dueUserIds(this.redisClient, (userId) => this.refreshedKey(userId), userIds, dueBefore);
  }

  private refreshedKey(userId: string): string {
    return this.redisClient.key('strava', 'gear-refreshed', userId);
  }

  private checkedKey(userId: string, gearId: string): string {
    return this.redisClient.key('strava', 'gear-checked', userId, gearId);
  }
}
