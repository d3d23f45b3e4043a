import type { RunsRepository } from '@deload/persistence';
import { addDays, WeekBounds } from './iso-week';

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

/**
 * Distance figures of one runner's week (the local days of its runs) and of the 4 weeks before it;
 * Strava-sourced runs count only where the viewer may see them (`includeStrava`, libs/auth runner-data-policy).
 */
export async function weekFigures(runs: RunsRepository, userId: string, week: WeekBounds, includeStrava = true): Promise<WeekFigures> {
  const from = addDays(week.monday, -28);
  const row = await runs.weekTotals(userId, from, week.monday, week.sunday, includeStrava);
  const firstDay: string | null = row.firstDay ? toIsoDate(row.firstDay) : null;
  const fullHistory = firstDay !== null && firstDay <= from;
  return {
    runs: row.runs,
    distanceM: row.distanceM,
    longestM: row.longestM,
    movingS: row.movingS,
    previousAverageM: fullHistory ? row.previousM / 4 : null,
    previousRuns: row.previousRuns,
  };
}

/** node-postgres returns a `date` as a local-midnight Date; read it back as the calendar date it is. */
export function toIsoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
}
