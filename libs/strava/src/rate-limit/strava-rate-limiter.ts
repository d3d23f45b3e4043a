import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { RedisClient, RetryLaterError } from '@deload/queue';
import { StravaClock } from '../clock/strava-clock';
import { budgetShares, reserveOf, StravaPriority } from './budget-planner';
import { budgetFromHeaders, exhaustedWindow, RateBudget } from './rate-limit-headers';
import { RateWindows, STRAVA_RATE_WINDOWS, windowEnd, windowStart } from './rate-windows';

export type { StravaPriority } from './budget-planner';

/** Released jobs spread over this much of the next window instead of all arriving at once. */
const MAX_JITTER_MS = 30_000;

/** The windows a request was counted in, so its response updates those and not the next ones. */
export interface RatePermit {
  shortWindow: number;
  dailyWindow: number;
}

// Take one request from both windows, or say when to come back. All in Redis, atomically,
// so every worker process shares one budget.
const ACQUIRE = `
local now = tonumber(ARGV[1])
local blocked = tonumber(redis.call('GET', KEYS[4]) or '0')
if blocked > now then return {0, blocked} end
local limits = redis.call('HMGET', KEYS[1], 'short', 'daily')
local shortLimit = tonumber(limits[1]) or tonumber(ARGV[6])
local dailyLimit = tonumber(limits[2]) or tonumber(ARGV[7])
local shortShare = tonumber(ARGV[2])
local reserve = tonumber(ARGV[3])
local dailyShare = tonumber(ARGV[10])
if tonumber(redis.call('GET', KEYS[3]) or '0') >= math.floor(dailyLimit * dailyShare) - reserve then return {0, tonumber(ARGV[9])} end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= math.floor(shortLimit * shortShare) - reserve then return {0, tonumber(ARGV[8])} end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return {1, 0}
`;

// What Strava reported wins over our own count when it is higher (other processes, refused calls).
const RECORD = `
redis.call('HSET', KEYS[1], 'short', ARGV[1], 'daily', ARGV[3])
if tonumber(ARGV[2]) > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[5]) end
if tonumber(ARGV[4]) > tonumber(redis.call('GET', KEYS[3]) or '0') then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[6]) end
return 1
`;

const BLOCK = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`;

/**
 * Strava's rate limit, shared by every worker through Redis. Each request takes a slot before it
 * goes out (`acquire`), each response's four headers correct the count (`record`), and a 429
 * blocks everyone until the window that ran out starts again (`refused`). A request that may not
 * go out now becomes a RetryLaterError for the next window: the job waits, nothing is dropped.
 */
@Injectable()
export class StravaRateLimiter {
  constructor(
    private readonly redisClient: RedisClient,
    @Inject(STRAVA_RATE_WINDOWS) private readonly windows: RateWindows,
    private readonly config: AppConfig,
    private readonly clock: StravaClock,
  ) {}

  /** Takes a slot for a request of `priority` (budget-planner.ts says how much of each window it may fill). */
  async acquire(priority: StravaPriority, now = this.clock.now()): Promise<RatePermit> {
    const permit = this.permitAt(now);
    const shares = budgetShares(priority, now, this.windows);
    const [granted, retryAt] = (await this.redisClient.redis.eval(
      ACQUIRE,
      4,
      this.key('limits'),
      this.shortKey(permit),
      this.dailyKey(permit),
      this.key('blocked-until'),
      now,
      shares.short,
      reserveOf(priority),
      this.windows.shortMs * 2,
      this.windows.dailyMs * 2,
      this.config.env.STRAVA_READ_LIMIT_15MIN,
      this.config.env.STRAVA_READ_LIMIT_DAILY,
      windowEnd(now, this.windows.shortMs),
      shares.dailyRetryAt,
      shares.daily,
    )) as [number, number];
    if (granted === 1) return permit;
    throw new RetryLaterError(new Date(retryAt + this.jitter()), `Strava budget for ${priority} requests is used up`);
  }

  /** Corrects the shared count from a response's rate-limit headers (any status). */
  async record(permit: RatePermit, headers: Record<string, string | string[] | undefined>): Promise<RateBudget | null> {
    const budget = budgetFromHeaders(headers);
    if (!budget) return null;
    await this.redisClient.redis.eval(
      RECORD,
      3,
      this.key('limits'),
      this.shortKey(permit),
      this.dailyKey(permit),
      budget.shortLimit,
      budget.shortUsage,
      budget.dailyLimit,
      budget.dailyUsage,
      this.windows.shortMs * 2,
      this.windows.dailyMs * 2,
    );
    return budget;
  }

  /** A 429: nobody asks again before the exhausted window (quarter hour or UTC day) is over. */
  async refused(
    permit: RatePermit,
    headers: Record<string, string | string[] | undefined>,
    now = this.clock.now(),
  ): Promise<RetryLaterError> {
    const budget = await this.record(permit, headers);
    const window = exhaustedWindow(budget);
    const until = windowEnd(now, window === 'daily' ? this.windows.dailyMs : this.windows.shortMs);
    await this.redisClient.redis.eval(BLOCK, 1, this.key('blocked-until'), until, until - now + 1000);
    return new RetryLaterError(
      new Date(until + this.jitter()),
      `Strava refused with 429 (${window === 'daily' ? 'daily' : '15-minute'} limit)`,
    );
  }

  /** Requests counted in the current windows (for benchmarks and the operator). */
  async usage(now = this.clock.now()): Promise<{ short: number; daily: number }> {
    const permit = this.permitAt(now);
    const [short, daily] = await this.redisClient.redis.mget(this.shortKey(permit), this.dailyKey(permit));
    return { short: Number(short ?? 0), daily: Number(daily ?? 0) };
  }

  private permitAt(now: number): RatePermit {
    return { shortWindow: windowStart(now, this.windows.shortMs), dailyWindow: windowStart(now, this.windows.dailyMs) };
  }

  private jitter(): number {
    return Math.floor(Math.random() * Math.min(MAX_JITTER_MS, this.windows.shortMs / 10));
  }

  private shortKey(permit: RatePermit): string {
    return this.key('short', String(permit.shortWindow));
  }

  private dailyKey(permit: RatePermit): string {
    return this.key('daily', String(permit.dailyWindow));
  }

  /** One hash tag for all: the scripts touch several keys, which Redis Cluster needs in one slot. */
  private key(...parts: string[]): string {
    return this.redisClient.key('{strava-rate}', ...parts);
  }
}
