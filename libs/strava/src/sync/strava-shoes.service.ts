import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { ShoesRepository, type StravaConnectionEntity } from '@deload/persistence';
import { JobQueue, RedisClient } from '@deload/queue';
import { StravaApi } from '../api/strava-api';
import { StravaAccessRevokedError, StravaNotFoundError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { isShoeId, mapDetailedGear, mapSummaryGear, MeasurementPreference, StravaShoe } from '../mapping/gear-mapper';
import type { StravaPriority } from '../rate-limit/strava-rate-limiter';

/** A shoe's details (alert distance, retired) are read again after this long; its distance comes daily from GET /athlete. */
const DETAILS_FRESH_S = 7 * 24 * 3600;

/**
 * Shoes from Strava: GET /athlete lists them with their distance (one request for all), GET
 * /gear/{id} adds the alert distance (→ retire threshold) and is asked only for shoes not seen
 * in a week, or not in the athlete's list any more (retired).
 */
@Injectable()
export class StravaShoes {
  constructor(
    private readonly shoes: ShoesRepository,
    private readonly api: StravaApi,
    private readonly connections: StravaConnections,
    private readonly redisClient: RedisClient,
    private readonly jobs: JobQueue,
  ) {}

  /** The daily cron's job: one refresh job per connected runner (job ids carry the day, so once a day). */
  async queueDailyRefresh(day: string): Promise<number> {
    const connections = await this.connections.all();
    for (const { userId } of connections) await this.jobs.add('strava-gear', { userId, day }, { jobId: `strava-gear-${userId}-${day}` });
    return connections.length;
  }

  /** The daily job of one runner. Access revoked at Strava is final: no retry can fix it. */
  async refreshForUser(userId: string): Promise<number> {
    const connection = await this.connections.byUser(userId);
    if (!connection) return 0;
    try {
      return await this.refresh(connection, 'background');
    } catch (error) {
      throw error instanceof StravaAccessRevokedError ? new UnrecoverableError(error.message) : error;
    }
  }

  /** Reads the athlete's shoes and stores them; returns how many Strava requests it made. */
  async refresh(connection: StravaConnectionEntity, priority: StravaPriority): Promise<number> {
    const athlete = await this.api.athlete(connection, priority);
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
    await this.redisClient.redis.set(this.checkedKey(connection.userId, gearId), '1', 'EX', DETAILS_FRESH_S);
  }

  private async detailsFresh(userId: string, gearId: string): Promise<boolean> {
    return (await this.redisClient.redis.exists(this.checkedKey(userId, gearId))) === 1;
  }

  private async storedShoeIds(userId: string): Promise<string[]> {
    return this.shoes.activeStravaIds(userId);
  }

  /** Insert or update; what Strava did not say (no distance, no alert distance) keeps its stored value. */
  private async store(userId: string, shoe: StravaShoe): Promise<void> {
    await this.connections.whileConnected(userId, (manager) => this.shoes.upsertStrava(userId, shoe, manager));
  }

  private checkedKey(userId: string, gearId: string): string {
    return this.redisClient.key('strava', 'gear-checked', userId, gearId);
  }
}
