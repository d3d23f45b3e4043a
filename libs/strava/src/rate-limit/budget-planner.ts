/**
 * How much of Strava's rate budget each kind of work may fill, and when work that may not run now
 * should come back. Pure: the rate limiter applies these shares atomically in Redis.
 *
 * - `webhook`: a fetch a runner is waiting for (their new run, its new shoe). The whole budget.
 * - `background`: backfill of a new connection. 70 % of each quarter hour, and of the day only as
 *   much as the day has advanced (plus a two-hour head start), so a morning of sign-ups cannot
 *   spend the evening's webhook budget.
 * - `spare`: refreshes nobody waits for (stale shoes, the reconciliation safety net). Only in a
 *   quiet quarter hour (under 30 % used) and while the day's use, webhooks included, is below 85 %
 *   of an even pace: what webhooks leave unused flows to it, and the evening's webhooks keep room.
 *
 * Work refused now is delayed (a BullMQ delayed job via RetryLaterError), never dropped.
 */
export type StravaPriority = 'webhook' | 'background' | 'spare';

export interface BudgetShares {
  /** Fraction of the quarter-hour limit this work may fill. */
  short: number;
  /** Fraction of the daily limit this work may fill by now. */
  daily: number;
  /** Epoch ms when the daily share grows or resets: the next quarter hour while it is paced, the next day otherwise. */
  dailyRetryAt: number;
}

export interface PlannerWindows {
  shortMs: number;
  dailyMs: number;
}

const SHORT_SHARE: Record<StravaPriority, number> = { webhook: 1, background: 0.7, spare: 0.3 };
const DAILY_SHARE: Record<StravaPriority, number> = { webhook: 1, background: 0.7, spare: 0.85 };
/** Background work may run this far ahead of the day's pace (a new runner's backfill need not wait). */
const BACKGROUND_HEAD_START = 2 / 24;

/** Fraction of the current daily window that has passed, counted in whole quarter hours (the current one included). */
export function dayProgress(now: number, windows: PlannerWindows): number {
  const intoDay = now - Math.floor(now / windows.dailyMs) * windows.dailyMs;
  const quarters = Math.round(windows.dailyMs / windows.shortMs);
  return Math.min(1, (Math.floor(intoDay / windows.shortMs) + 1) / quarters);
}

export function budgetShares(priority: StravaPriority, now: number, windows: PlannerWindows): BudgetShares {
  const shortEnd = (Math.floor(now / windows.shortMs) + 1) * windows.shortMs;
  const dayEnd = (Math.floor(now / windows.dailyMs) + 1) * windows.dailyMs;
  if (priority === 'webhook') return { short: 1, daily: 1, dailyRetryAt: dayEnd };
  const progress = dayProgress(now, windows);
  const pace = priority === 'background' ? Math.min(1, progress + BACKGROUND_HEAD_START) : progress;
  const daily = DAILY_SHARE[priority] * pace;
  return { short: SHORT_SHARE[priority], daily, dailyRetryAt: pace < 1 ? shortEnd : dayEnd };
}

/** Slots a webhook fetch leaves free: its repeat after a refused token must still find one. */
export function reserveOf(priority: StravaPriority): number {
  return priority === 'webhook' ? 1 : 0;
}

/** Whether a request of `priority` may go out with `usage` counted in the current windows (the limiter's rule, for tests and the bench). */
export function mayRequest(
  priority: StravaPriority,
  usage: { short: number; daily: number },
  limits: { short: number; daily: number },
  now: number,
  windows: PlannerWindows,
): boolean {
  const shares = budgetShares(priority, now, windows);
  const reserve = reserveOf(priority);
  return usage.daily < Math.floor(limits.daily * shares.daily) - reserve && usage.short < Math.floor(limits.short * shares.short) - reserve;
}
