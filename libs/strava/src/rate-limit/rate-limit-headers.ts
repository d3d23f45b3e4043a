import strava from 'strava-v3';

/** Strava's budget as one pair of windows: the tighter of the overall and the read limits. */
export interface RateBudget {
  shortLimit: number;
  shortUsage: number;
  dailyLimit: number;
  dailyUsage: number;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Reads X-RateLimit-Limit/-Usage and X-ReadRateLimit-Limit/-Usage ("15min,daily" each, parsed by
 * strava-v3). Every call Deload makes is a read, so it counts against both: the budget left is
 * the smaller remainder of the two. Null when the headers are missing or malformed.
 */
export function budgetFromHeaders(headers: Headers): RateBudget | null {
  const parsed = strava.rateLimiting.parseRateLimits(headers);
  if (!parsed || Object.values(parsed).some((value) => !Number.isFinite(value))) return null;
  const shortLimit = Math.min(parsed.shortTermLimit, parsed.readShortTermLimit);
  const dailyLimit = Math.min(parsed.longTermLimit, parsed.readLongTermLimit);
  const shortLeft = Math.min(parsed.shortTermLimit - parsed.shortTermUsage, parsed.readShortTermLimit - parsed.readShortTermUsage);
  const dailyLeft = Math.min(parsed.longTermLimit - parsed.longTermUsage, parsed.readLongTermLimit - parsed.readLongTermUsage);
  return { shortLimit, shortUsage: shortLimit - shortLeft, dailyLimit, dailyUsage: dailyLimit - dailyLeft };
}

/** After a 429: which window ran out (the daily one wins, it lasts longer). */
export function exhaustedWindow(budget: RateBudget | null): 'short' | 'daily' {
  return budget && budget.dailyUsage >= budget.dailyLimit ? 'daily' : 'short';
}
