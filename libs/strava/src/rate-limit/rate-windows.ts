/**
 * Strava's windows: quarter hours starting at :00 :15 :30 :45 and days starting at midnight UTC.
 * Both are aligned to the Unix epoch, so "floor to a multiple" finds the current one. Tests shrink
 * the lengths (provider STRAVA_RATE_WINDOWS) to see a window roll over in seconds.
 */
export interface RateWindows {
  shortMs: number;
  dailyMs: number;
}

export const STRAVA_RATE_WINDOWS = Symbol('STRAVA_RATE_WINDOWS');

export const STRAVA_WINDOWS: RateWindows = { shortMs: 15 * 60_000, dailyMs: 24 * 3600_000 };

export function windowStart(nowMs: number, lengthMs: number): number {
  return Math.floor(nowMs / lengthMs) * lengthMs;
}

export function windowEnd(nowMs: number, lengthMs: number): number {
  return windowStart(nowMs, lengthMs) + lengthMs;
}
