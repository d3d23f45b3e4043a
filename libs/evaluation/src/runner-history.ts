import { Between, EntityManager, In } from 'typeorm';
import type { PainLocation } from '@deload/domain';
import { PainReportEntity, RunEntity, seenOutsideStrava } from '@deload/persistence';
import type { EnginePainReport, EngineRun, EngineShoe } from '@deload/rules';

/** What the engine reads for one runner: the bounded window, not the whole history. */
export interface RunnerHistory {
  runs: EngineRun[];
  painReports: EnginePainReport[];
  shoes: EngineShoe[];
  /** Start of the runner's first run ever (one indexed lookup), so rules know how much history there is. */
  historyStart: Date | null;
  /**
   * Where Strava data entered the window: runs only Strava has, pain read from a Strava
   * description (`inWindow`), and Strava gear (`shoeIds`). An alert computed from them is Strava's.
   */
  stravaData: { inWindow: boolean; shoeIds: Set<string> };
}

/** Loads the runs from `since` to `asOf` (running sports only), their pain reports and the shoes they used. */
export async function loadRunnerHistory(manager: EntityManager, userId: string, since: Date, asOf: Date): Promise<RunnerHistory> {
  const runs = await manager.find(RunEntity, {
    where: { userId, isRun: true, startUtc: Between(since, asOf) },
    order: { startUtc: 'ASC' },
  });
  const runIds = runs.map((run) => run.id);
  const pains = runIds.length ? await manager.find(PainReportEntity, { where: { userId, runId: In(runIds) } }) : [];
  const shoeIds = [...new Set(runs.flatMap((run) => (run.shoeId ? [run.shoeId] : [])))];
  const [first] = await manager.query(`SELECT min(start_utc) AS first FROM runs WHERE user_id = $1 AND is_run AND start_utc <= $2`, [
    userId,
    asOf,
  ]);
  const shoes = shoeIds.length ? await loadShoes(manager, userId, shoeIds, asOf) : [];
  const stravaOnlyRuns: unknown[] = runIds.length
    ? await manager.query(`SELECT 1 FROM runs r WHERE r.id = ANY($1::uuid[]) AND NOT ${seenOutsideStrava('r')} LIMIT 1`, [runIds])
    : [];
  return {
    runs: runs.map(toEngineRun),
    painReports: pains.map(toEnginePain),
    shoes: shoes.map(({ source: _source, ...shoe }) => shoe),
    historyStart: first?.first ?? null,
    stravaData: {
      inWindow: stravaOnlyRuns.length > 0 || pains.some((pain) => pain.source === 'strava_tag'),
      shoeIds: new Set(shoes.filter((shoe) => shoe.source === 'strava').map((shoe) => shoe.id)),
    },
  };
}

function toEngineRun(run: RunEntity): EngineRun {
  return {
    id: run.id,
    startUtc: run.startUtc,
    distanceM: run.distanceM,
    movingS: run.movingS,
    elapsedS: run.elapsedS,
    elevationLossM: run.elevationLossM,
    avgCadenceSpm: run.avgCadenceSpm,
    shoeId: run.shoeId,
  };
}

function toEnginePain(report: PainReportEntity): EnginePainReport {
  return {
    runId: report.runId,
    hasPain: report.hasPain,
    location: report.location as PainLocation | null,
    onsetM: report.onsetM,
    onsetS: report.onsetS,
    severity: report.severity,
  };
}

/**
 * Each shoe's distance as of `asOf`: the distance the source reported at reported_at, corrected by
 * the activities in that shoe between then and asOf; when nothing was reported, the sum of its
 * activities (a lower bound). Every activity in the shoe counts, walks too: they wear it as well.
 */
async function loadShoes(
  manager: EntityManager,
  userId: string,
  shoeIds: string[],
  asOf: Date,
): Promise<(EngineShoe & { source: string })[]> {
  const rows: {
    id: string;
    name: string;
    source: string;
    retire_threshold_m: number | null;
    retired: boolean;
    reported: boolean;
    distance_m: number;
  }[] = await manager.query(
    `SELECT s.id, s.name, s.source, s.retire_threshold_m, s.retired, s.reported_distance_m IS NOT NULL AS reported,
            CASE
              WHEN s.reported_distance_m IS NULL THEN
                coalesce((SELECT sum(r.distance_m) FROM runs r WHERE r.shoe_id = s.id AND r.start_utc <= $3), 0)
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
    distanceIsLowerBound: !row.reported,
    retireThresholdM: row.retire_threshold_m,
    retired: row.retired,
  }));
}
