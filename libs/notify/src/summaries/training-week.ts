import { EntityManager } from 'typeorm';
import { RUNNER_DATA_SQL } from '@deload/auth';
import { addDays, WeekBounds } from './iso-week';

/** A run's calendar date where it was run (its own UTC offset, as the rules engine counts days). */
export const RUN_LOCAL_DATE = `((r.start_utc AT TIME ZONE 'UTC') + r.utc_offset_s * interval '1 second')::date`;

/** Only runs the viewer may see (libs/auth runner-data-policy): coaches see Strava-sourced runs only where the operator allows it. */
export function visibleRunsFilter(includeStrava: boolean): string {
  return RUNNER_DATA_SQL.runVisible('r', String(includeStrava));
}

export interface WeekFigures {
  runs: number;
  distanceM: number;
  longestM: number;
  movingS: number;
  /** Mean weekly distance of the 4 weeks before; null when the runner has less history than that. */
  previousAverageM: number | null;
  /** Runs in the 4 weeks before. */
  previousRuns: number;
}

/** Distance figures of one runner's week and of the 4 weeks before it. */
export async function weekFigures(manager: EntityManager, userId: string, week: WeekBounds, includeStrava = true): Promise<WeekFigures> {
  const from = addDays(week.monday, -28);
  const [row] = await manager.query(
    `SELECT
        count(*) FILTER (WHERE d >= $3::date)::int AS runs,
        coalesce(sum(distance_m) FILTER (WHERE d >= $3::date), 0)::float AS distance_m,
        coalesce(max(distance_m) FILTER (WHERE d >= $3::date), 0)::float AS longest_m,
        coalesce(sum(moving_s) FILTER (WHERE d >= $3::date), 0)::float AS moving_s,
        coalesce(sum(distance_m) FILTER (WHERE d < $3::date), 0)::float AS previous_m,
        count(*) FILTER (WHERE d < $3::date)::int AS previous_runs,
        (SELECT min(${RUN_LOCAL_DATE}) FROM runs r WHERE r.user_id = $1 AND r.is_run AND ${visibleRunsFilter(includeStrava)}) AS first_day
       FROM (SELECT ${RUN_LOCAL_DATE} AS d, r.distance_m, r.moving_s FROM runs r
              WHERE r.user_id = $1 AND r.is_run AND ${visibleRunsFilter(includeStrava)}
                AND r.start_utc BETWEEN ($2::date - 1) AND ($4::date + 2)) runs
      WHERE d BETWEEN $2::date AND $4::date`,
    [userId, from, week.monday, week.sunday],
  );
  const firstDay: string | null = row.first_day ? toIsoDate(row.first_day) : null;
  const fullHistory = firstDay !== null && firstDay <= from;
  return {
    runs: row.runs,
    distanceM: row.distance_m,
    longestM: row.longest_m,
    movingS: row.moving_s,
    previousAverageM: fullHistory ? row.previous_m / 4 : null,
    previousRuns: row.previous_runs,
  };
}

/** node-postgres returns a `date` as a local-midnight Date; read it back as the calendar date it is. */
export function toIsoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
}
