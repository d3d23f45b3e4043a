/** How far back a new Strava connection's history is imported. */
export const BACKFILL_DAYS = 180;
