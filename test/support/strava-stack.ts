import { INestApplicationContext } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { SESSION_COOKIE } from '../../libs/auth/src';
import { RateWindows, STRAVA_RATE_WINDOWS, StravaPushSubscriptions } from '../../libs/strava/src';
import { FakeStrava, FakeStravaOptions } from '../fake-strava';
import { freePort } from './ports';
import { deleteRedisKeys, isolatedRedisPrefix } from './redis-prefix';
import { testEnv } from './test-env';

export interface StravaStack {
  fake: FakeStrava;
  api: NestExpressApplication;
  worker: INestApplicationContext;
  url: string;
  env: Record<string, string>;
  db: DataSource;
  queue(name: string): Queue;
  close(): Promise<void>;
}

export interface StravaStackOptions {
  fake?: FakeStravaOptions;
  /** Shorter rate-limit windows for the worker (and the fake), to see a window roll over in seconds. */
  windows?: RateWindows;
  env?: Record<string, string>;
  /** Create the push subscription (as `deload strava:subscribe` does). Default true. */
  subscribe?: boolean;
}

/**
 * The api (HTTP on loopback) and a worker, both the real modules, against a fake Strava. The
 * worker is built through Nest's testing module only so `windows` can shorten the rate-limit
 * windows; everything else is as in production.
 */
export async function startStravaStack(options: StravaStackOptions = {}): Promise<StravaStack> {
  const fake = await new FakeStrava({ ...options.fake, windows: options.windows ?? options.fake?.windows }).start();
  const port = await freePort();
  // Queues of its own: another test file's worker must not take this stack's jobs.
  const prefix = isolatedRedisPrefix('strava');
  const env = testEnv({ ...fake.env(), PUBLIC_URL: `http://127.0.0.1:${port}`, REDIS_KEY_PREFIX: prefix, ...options.env });
  const api = await createApiApp(env);
  await api.listen(port, '127.0.0.1');
  // No cron: its sweeps and fan-outs would reach other test files' rows in the shared database
  // (tests call the cron methods themselves where they need them).
  const builder = Test.createTestingModule({ imports: [WorkerModule.forRoot(env, { schedule: false })] });
  if (options.windows) builder.overrideProvider(STRAVA_RATE_WINDOWS).useValue(options.windows);
  const worker = await builder.compile();
  worker.enableShutdownHooks();
  await worker.init();
  if (options.subscribe !== false) await api.get(StravaPushSubscriptions).subscribe();
  return {
    fake,
    api,
    worker,
    url: `http://127.0.0.1:${port}`,
    env,
    db: api.get(DataSource),
    queue: (name) => api.get<Queue>(getQueueToken(name), { strict: false }),
    async close() {
      await worker.close();
      await api.close();
      await fake.stop();
      await deleteRedisKeys(prefix);
    },
  };
}

/** Cookies a response sets, as name → value. */
function setCookies(response: Response): Record<string, string> {
  return Object.fromEntries(
    response.headers.getSetCookie().map((line) => {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

export interface ConnectResult {
  /** Final response of the callback (a 303 to /me when connected, or a page). */
  response: Response;
  sessionCookie?: string;
}

/**
 * "Connect with Strava" through the real redirects, like a browser: /auth/strava → the fake's
 * authorize page (which decides as told) → /auth/strava/callback with the nonce cookie.
 */
export async function connectThroughRedirects(
  stack: Pick<StravaStack, 'fake' | 'url'>,
  athleteId: number,
  options: { grant?: string[]; deny?: boolean; cookie?: string } = {},
): Promise<ConnectResult> {
  stack.fake.authorizeNext({ athleteId, grant: options.grant, deny: options.deny });
  const headers: Record<string, string> = options.cookie ? { cookie: options.cookie } : {};
  const start = await fetch(`${stack.url}/auth/strava`, { redirect: 'manual', headers });
  const nonce = setCookies(start);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callbackUrl = authorize.headers.get('location')!;
  const cookie = [options.cookie, ...Object.entries(nonce).map(([name, value]) => `${name}=${value}`)].filter(Boolean).join('; ');
  const response = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie, accept: 'text/html' } });
  const session = setCookies(response)[SESSION_COOKIE];
  return { response, sessionCookie: session ? `${SESSION_COOKIE}=${session}` : undefined };
}

/** The athlete's connection row once its backfill has finished. */
export async function backfilledConnection(
  stack: Pick<StravaStack, 'db'>,
  athleteId: number,
  timeoutMs = 30_000,
): Promise<{ id: string; user_id: string }> {
  return eventually(
    async () =>
      (
        await stack.db.query(`SELECT id, user_id FROM strava_connections WHERE athlete_id = $1 AND backfilled_at IS NOT NULL`, [athleteId])
      )[0],
    `the backfill of athlete ${athleteId}`,
    timeoutMs,
  );
}

/** A new athlete of the fake (no activities), connected through the redirects, once their (empty) backfill is done. */
export async function connectNewAthlete(stack: StravaStack, athleteId: number): Promise<{ athleteId: number; userId: string }> {
  stack.fake.addAthlete({ id: athleteId });
  await connectThroughRedirects(stack, athleteId);
  const row = await backfilledConnection(stack, athleteId);
  return { athleteId, userId: row.user_id };
}

/** Polls until `check` returns something truthy (background jobs finishing). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The runner's `evaluate` jobs: ids of those finished and of those still to run. */
export async function evaluationJobs(stack: StravaStack, userId: string): Promise<{ finished: string[]; open: string[] }> {
  const queue = stack.queue('evaluate');
  const ids = async (states: Parameters<typeof queue.getJobs>[0]) =>
    (await queue.getJobs(states)).filter((job) => job.data?.userId === userId).map((job) => String(job.id));
  return { finished: await ids(['completed', 'failed']), open: await ids(['waiting', 'active', 'delayed', 'prioritized']) };
}

/** The `message` of a JSON error answer. */
export async function errorMessage(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}
