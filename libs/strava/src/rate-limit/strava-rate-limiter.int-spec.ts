import { Test } from '@nestjs/testing';
import { INestApplicationContext } from '@nestjs/common';
import { ConfigModule } from '@deload/config';
import { RedisClient, RetryLaterError } from '@deload/queue';
import { deleteRedisKeys, isolatedRedisPrefix } from '../../../../test/support/redis-prefix';
import { testEnv } from '../../../../test/support/test-env';
import { StravaClock } from '../clock/strava-clock';
import { RateWindows, STRAVA_RATE_WINDOWS, windowEnd } from './rate-windows';
import { StravaRateLimiter } from './strava-rate-limiter';

const headers = (limit: string, usage: string) => ({
  'x-ratelimit-limit': limit,
  'x-ratelimit-usage': usage,
  'x-readratelimit-limit': limit,
  'x-readratelimit-usage': usage,
});

async function limiterApp(windows: RateWindows, prefix: string, env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(testEnv({ REDIS_KEY_PREFIX: prefix, ...env }))],
    providers: [RedisClient, StravaClock, StravaRateLimiter, { provide: STRAVA_RATE_WINDOWS, useValue: windows }],
  }).compile();
  return moduleRef.createNestApplication().init();
}

async function rejection(promise: Promise<unknown>): Promise<RetryLaterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RetryLaterError);
  return error as RetryLaterError;
}

describe('StravaRateLimiter (shared through Redis)', () => {
  const apps: INestApplicationContext[] = [];
  const prefixes = new Set<string>();
  const start = async (
    windows: RateWindows = { shortMs: 15 * 60_000, dailyMs: 24 * 3600_000 },
    prefix = isolatedRedisPrefix('rate'),
    env: Record<string, string> = {},
  ) => {
    prefixes.add(prefix);
    const app = await limiterApp(windows, prefix, env);
    apps.push(app);
    return app.get(StravaRateLimiter);
  };

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all([...prefixes].map(deleteRedisKeys));
  });

  // Each test reads the clock once and passes that instant to every call: windows are aligned to
  // the epoch, so calls reading the clock themselves would straddle a window boundary now and then
  // (with 1.5 s windows, often enough to fail) and count in two windows.

  it('keeps 30 % of the 15-minute budget for webhook fetches', async () => {
    const limiter = await start();
    const now = Date.now();
    const permit = await limiter.acquire('background', now);
    await limiter.record(permit, headers('20,1000', '1,1'));
    for (let i = 1; i < 14; i++) await limiter.acquire('background', now);
    const denied = await rejection(limiter.acquire('background', now));
    expect(denied.at.getTime()).toBeGreaterThanOrEqual(windowEnd(now, 15 * 60_000));
    for (let i = 14; i < 19; i++) await limiter.acquire('webhook', now);
    await rejection(limiter.acquire('webhook', now));
    expect((await limiter.usage(now)).short).toBe(19);
  });

  it('plans by the configured limits until Strava reports its own, and keeps spare work to quiet quarter hours', async () => {
    const limiter = await start(undefined, undefined, { STRAVA_READ_LIMIT_15MIN: '20', STRAVA_READ_LIMIT_DAILY: '5000' });
    const now = Date.now();
    for (let i = 0; i < 6; i++) await limiter.acquire('spare', now);
    const spare = await rejection(limiter.acquire('spare', now));
    expect(spare.at.getTime()).toBeGreaterThanOrEqual(windowEnd(now, 15 * 60_000));
    for (let i = 6; i < 14; i++) await limiter.acquire('background', now);
    await rejection(limiter.acquire('background', now));
    for (let i = 14; i < 19; i++) await limiter.acquire('webhook', now);
    await rejection(limiter.acquire('webhook', now));
    expect((await limiter.usage(now)).short).toBe(19);
  });

  it('believes Strava when it reports more usage than we counted (other processes, refused calls)', async () => {
    const limiter = await start();
    const now = Date.now();
    const permit = await limiter.acquire('webhook', now);
    await limiter.record(permit, headers('100,1000', '99,400'));
    expect(await limiter.usage(now)).toEqual({ short: 99, daily: 400 });
    await rejection(limiter.acquire('webhook', now));
  });

  it('gives out exactly the budget when many workers ask at once', async () => {
    const prefix = isolatedRedisPrefix('rate');
    const [a, b] = [await start(undefined, prefix), await start(undefined, prefix)];
    const now = Date.now();
    await a.record(await a.acquire('webhook', now), headers('30,1000', '1,1'));
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).acquire('webhook', now)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(28);
  });

  it('after a 429 holds everyone back until the window ends, then lets them go', async () => {
    const windows = { shortMs: 1500, dailyMs: 3_600_000 };
    const limiter = await start(windows);
    const now = Date.now();
    const permit = await limiter.acquire('webhook', now);
    const retry = await limiter.refused(permit, headers('100,1000', '100,300'), now);
    const end = windowEnd(now, windows.shortMs);
    expect(retry.at.getTime()).toBeGreaterThanOrEqual(end);
    expect(retry.at.getTime()).toBeLessThan(end + windows.shortMs / 10);
    // Later in the same window: still held back.
    await rejection(limiter.acquire('webhook', end - 1));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now()) + 20));
    await expect(limiter.acquire('webhook')).resolves.toBeDefined();
  });

  it('after a 429 on the daily limit waits for the next UTC day', async () => {
    const limiter = await start();
    const now = Date.now();
    const retry = await limiter.refused(await limiter.acquire('webhook', now), headers('200,2000', '12,2000'), now);
    expect(retry.at.getTime()).toBeGreaterThanOrEqual(windowEnd(now, 24 * 3600_000));
    expect(retry.message).toMatch(/daily limit/);
  });
});
