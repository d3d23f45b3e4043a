import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ShoeEntity, ShoeSource } from '../entities/shoe.entity';
import { RUNNER_DATA_SQL } from './runner-data-sql';
import { TableRepository } from './table-repository';

/** A shoe with its distance as far as we know. */
export interface ShoeWithDistance {
  id: string;
  name: string;
  source: ShoeSource;
  /** Total distance, metres. */
  distanceM: number;
  /**
   * Nothing was reported and the runner did not enter the shoe's distance (an export's or a run's
   * gear only): `distanceM` is the sum of the shoe's activities, a lower bound. A shoe the runner
   * added here, or gave a starting distance, is counted from that distance: not a lower bound.
   */
  distanceIsLowerBound: boolean;
  retireThresholdM: number | null;
  retired: boolean;
}

/** A shoe as a viewer may see it, with its distance today (ShoesRepository.visibleWithDistance). */
export interface VisibleShoe extends Omit<ShoeWithDistance, 'distanceIsLowerBound'> {
  userId: string;
  brand: string | null;
  model: string | null;
  startingDistanceM: number;
  defaultForSports: string[];
  locallyEdited: string[];
}

/** Runs of the last weeks in one shoe (ShoesRepository.recentUse). */
export interface ShoeUse {
  shoeId: string;
  runs: number;
  distanceM: number;
}

/** A shoe the runner adds by hand. */
export interface NewShoe {
  name: string;
  brand: string | null;
  model: string | null;
  startingDistanceM: number;
  retireThresholdM: number | null;
}

/** What Strava says of a shoe; what it does not say (undefined) keeps its stored value, and so does what the runner changed here. */
export interface StravaShoeFields {
  externalId: string;
  name: string;
  brand?: string | null;
  model?: string | null;
  reportedDistanceM?: number;
  retireThresholdM?: number | null;
  retired?: boolean;
}

/** shoes: runners' shoes, from Strava gear, export archives, or entered by hand. */
@Injectable()
export class ShoesRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  async byIdOrFail(id: string): Promise<ShoeEntity> {
    return this.db().findOneByOrFail(ShoeEntity, { id });
  }

  /** The runner's own shoe, or null (also for another runner's shoe). */
  async ownedBy(userId: string, id: string): Promise<ShoeEntity | null> {
    return this.db().findOneBy(ShoeEntity, { id, userId });
  }

  /** The runner's shoes, retired last, by name. */
  async ofUser(userId: string): Promise<ShoeEntity[]> {
    return this.db().find(ShoeEntity, { where: { userId }, order: { retired: 'ASC', name: 'ASC' } });
  }

  async update(id: string, userId: string, changes: Partial<ShoeEntity>, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(ShoeEntity, { id, userId }, changes);
  }

  /** Stores a shoe the runner added by hand (source manual, its own id as external id). */
  async createManual(userId: string, shoe: NewShoe, tx?: EntityManager): Promise<ShoeEntity> {
    const db = this.db(tx);
    return db.save(db.create(ShoeEntity, { ...shoe, userId, source: 'manual', externalId: randomUUID() }));
  }

  /**
   * Makes the shoe the default of exactly these sports: they stop being the default of the
   * runner's other shoes, and sports not listed stop being this shoe's.
   */
  async setDefaultFor(userId: string, shoeId: string, sports: readonly string[], tx?: EntityManager): Promise<void> {
    const db = this.db(tx);
    await db.query(
      `UPDATE shoes SET default_for_sports = ARRAY(SELECT unnest(default_for_sports) EXCEPT SELECT unnest($3::text[])), updated_at = now()
        WHERE user_id = $1 AND id <> $2 AND default_for_sports && $3::text[]`,
      [userId, shoeId, sports],
    );
    await db.query(`UPDATE shoes SET default_for_sports = $3::text[], updated_at = now() WHERE user_id = $1 AND id = $2`, [
      userId,
      shoeId,
      [...new Set(sports)].sort(),
    ]);
  }

  /** The id of the runner's shoe in use that is the default for this sport, or null. */
  async defaultFor(userId: string, sport: string, tx?: EntityManager): Promise<string | null> {
    const [row]: { id: string }[] = await this.db(tx).query(
      `SELECT id FROM shoes WHERE user_id = $1 AND $2 = ANY(default_for_sports) AND NOT retired ORDER BY updated_at DESC LIMIT 1`,
      [userId, sport],
    );
    return row?.id ?? null;
  }

  /**
   * How many runs (running sports only, as the rules count them) and how far the runner ran in
   * each shoe since `from`, counting only the runs the viewer may see (`includeStravaData`).
   */
  async recentUse(userId: string, from: Date, includeStravaData: boolean, tx?: EntityManager): Promise<ShoeUse[]> {
    const rows: { shoe_id: string; runs: string; distance_m: number }[] = await this.db(tx).query(
      `SELECT r.shoe_id, count(*) AS runs, sum(r.distance_m) AS distance_m
         FROM runs r
        WHERE r.user_id = $1 AND r.shoe_id IS NOT NULL AND r.is_run AND r.start_utc >= $2
          AND ${RUNNER_DATA_SQL.runVisible('r', includeStravaData ? 'true' : 'false')}
        GROUP BY r.shoe_id`,
      [userId, from],
    );
    return rows.map((row) => ({ shoeId: row.shoe_id, runs: Number(row.runs), distanceM: Number(row.distance_m) }));
  }

  /** The id of the runner's shoe of this source and id, stored with `name` first if it is new. */
  async ensure(shoe: { userId: string; source: ShoeSource; externalId: string }, name: string, tx?: EntityManager): Promise<string> {
    const db = this.db(tx);
    await db
      .createQueryBuilder()
      .insert()
      .into(ShoeEntity)
      .values({ ...shoe, name })
      .orIgnore()
      .execute();
    const { id } = await db.findOneByOrFail(ShoeEntity, shoe);
    return id;
  }

  /**
   * These shoes of the runner with their distance as of `asOf`: the distance the source reported at
   * reported_at, corrected by the activities in that shoe between then and asOf; when nothing was
   * reported, the starting distance the runner entered plus the sum of its activities. Every
   * activity in the shoe counts, walks too.
   */
  async withDistanceAsOf(userId: string, shoeIds: readonly string[], asOf: Date, tx?: EntityManager): Promise<ShoeWithDistance[]> {
    if (!shoeIds.length) return [];
    const rows: {
      id: string;
      name: string;
      source: ShoeSource;
      retire_threshold_m: number | null;
      retired: boolean;
      reported: boolean;
      distance_m: number;
      known_start: boolean;
    }[] = await this.db(tx).query(
      `SELECT s.id, s.name, s.source, s.retire_threshold_m, s.retired, s.reported_distance_m IS NOT NULL AS reported,
              s.source = 'manual' OR s.starting_distance_m > 0 AS known_start,
              CASE
                WHEN s.reported_distance_m IS NULL THEN
                  s.starting_distance_m + coalesce((SELECT sum(r.distance_m) FROM runs r WHERE r.shoe_id = s.id AND r.start_utc <= $3), 0)
                WHEN s.reported_at IS NULL THEN s.reported_distance_m
                ELSE s.reported_distance_m
                  + coalesce((SELECT sum(r.distance_m) FROM runs r WHERE r.shoe_id = s.id AND r.start_utc > s.reported_at AND r.start_utc <= $3), 0)
                  - coalesce((SELECT sum(r.distance_m) FROM runs r WHERE r.shoe_id = s.id AND r.start_utc > $3 AND r.start_utc <= s.reported_at), 0)
              END AS distance_m
         FROM shoes s
        WHERE s.user_id = $1 AND s.id = ANY($2::uuid[])`,
      [userId, shoeIds, asOf],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      source: row.source,
      distanceM: Number(row.distance_m),
      distanceIsLowerBound: !row.reported && !row.known_start,
      retireThresholdM: row.retire_threshold_m,
      retired: row.retired,
    }));
  }

  /**
   * Shoes of these runners, retired last, by name, with their distance today (what the source last
   * reported plus the activities since, or the sum of their activities when nothing was reported),
   * counting only what the viewer may see: Strava's data only of the runners in `withStrava`.
   */
  async visibleWithDistance(runnerIds: readonly string[], withStrava: readonly string[]): Promise<VisibleShoe[]> {
    const allowed = (alias: string) => `${alias}.user_id = ANY($2::uuid[])`;
    const rows: VisibleShoe[] = await this.db().query(
      `SELECT s.id, s.user_id AS "userId", s.name, s.brand, s.model, s.source, s.retire_threshold_m AS "retireThresholdM", s.retired,
              s.starting_distance_m AS "startingDistanceM", s.default_for_sports AS "defaultForSports", s.locally_edited AS "locallyEdited",
              CASE WHEN s.reported_distance_m IS NULL THEN s.starting_distance_m + coalesce(sum(r.distance_m), 0)
                   WHEN s.reported_at IS NULL THEN s.reported_distance_m
                   ELSE s.reported_distance_m + coalesce(sum(r.distance_m) FILTER (WHERE r.start_utc > s.reported_at), 0)
              END AS "distanceM"
         FROM shoes s LEFT JOIN runs r ON r.shoe_id = s.id AND ${RUNNER_DATA_SQL.runVisible('r', allowed('r'))}
        WHERE s.user_id = ANY($1::uuid[]) AND ${RUNNER_DATA_SQL.shoeVisible('s', allowed('s'))}
        GROUP BY s.id
        ORDER BY s.retired, s.name`,
      [runnerIds, withStrava],
    );
    return rows.map((row) => ({ ...row, distanceM: Number(row.distanceM) }));
  }

  /** Whether the runner's Strava shoe is stored with Strava's figures (not only from a run's gear id). */
  async hasStravaDetails(userId: string, gearId: string): Promise<boolean> {
    const [row] = await this.db().query(
      `SELECT 1 FROM shoes WHERE user_id = $1 AND source = 'strava' AND external_id = $2 AND reported_at IS NOT NULL`,
      [userId, gearId],
    );
    return !!row;
  }

  /** Strava ids of the runner's Strava shoes not retired. */
  async activeStravaIds(userId: string): Promise<string[]> {
    const rows: { external_id: string }[] = await this.db().query(
      `SELECT external_id FROM shoes WHERE user_id = $1 AND source = 'strava' AND NOT retired`,
      [userId],
    );
    return rows.map((row) => row.external_id);
  }

  /**
   * Insert or update; what Strava did not say (no distance, no alert distance) keeps its stored
   * value, and so does every field the runner changed in Deload (`locally_edited`).
   */
  async upsertStrava(userId: string, shoe: StravaShoeFields, tx?: EntityManager): Promise<void> {
    const keepLocal = (field: string, column: string, incoming: string) =>
      `${column} = CASE WHEN '${field}' = ANY(shoes.locally_edited) THEN shoes.${column} ELSE ${incoming} END`;
    await this.db(tx).query(
      `INSERT INTO shoes (user_id, source, external_id, name, reported_distance_m, reported_at, retired, retire_threshold_m, brand, model)
       VALUES ($1, 'strava', $2, $3, $4::double precision, CASE WHEN $4::double precision IS NULL THEN NULL ELSE now() END, COALESCE($5, false), $6, $7, $8)
       ON CONFLICT (user_id, source, external_id) DO UPDATE SET
         ${keepLocal('name', 'name', 'EXCLUDED.name')},
         ${keepLocal('brand', 'brand', 'COALESCE(EXCLUDED.brand, shoes.brand)')},
         ${keepLocal('model', 'model', 'COALESCE(EXCLUDED.model, shoes.model)')},
         reported_distance_m = COALESCE(EXCLUDED.reported_distance_m, shoes.reported_distance_m),
         reported_at = COALESCE(EXCLUDED.reported_at, shoes.reported_at),
         ${keepLocal('retired', 'retired', 'COALESCE($5, shoes.retired)')},
         ${keepLocal('retireThresholdM', 'retire_threshold_m', 'COALESCE(EXCLUDED.retire_threshold_m, shoes.retire_threshold_m)')},
         updated_at = now()`,
      [
        userId,
        shoe.externalId,
        shoe.name,
        shoe.reportedDistanceM ?? null,
        shoe.retired ?? null,
        shoe.retireThresholdM ?? null,
        shoe.brand ?? null,
        shoe.model ?? null,
      ],
    );
  }

  /** Deletes the runner's Strava shoes; returns how many. */
  async deleteStrava(userId: string, tx?: EntityManager): Promise<number> {
    const [, deleted] = await this.db(tx).query(`DELETE FROM shoes WHERE user_id = $1 AND source = 'strava'`, [userId]);
    return Number(deleted ?? 0);
  }

  /** The shoes of `sourceId` become `targetId`'s; a shoe both have (same source and id) is the target's, the source's copy goes. */
  async moveToUser(sourceId: string, targetId: string, tx?: EntityManager): Promise<void> {
    const db = this.db(tx);
    await db.query(
      `DELETE FROM shoes s USING shoes t
        WHERE s.user_id = $1 AND t.user_id = $2 AND t.source = s.source AND t.external_id = s.external_id`,
      [sourceId, targetId],
    );
    await db.query(`UPDATE shoes SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
  }
}
