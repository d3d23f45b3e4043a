import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../libs/queue/src';
import { RedisServer } from '../support/redis-server';
import { signIn, uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * Issue 17: with Redis away the api fails fast and says so (503), accepts what it can keep in
 * PostgreSQL, tells /health the truth, and queues what was kept once Redis is back. Uses a
 * redis-server of its own, killed -9 and restarted on the same port.
 */
describe('the api while Redis is away', () => {
  let redis: RedisServer;
  let stack: Stack;
  let api: NestExpressApplication;
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    redis = await RedisServer.start();
    stack = await startStack({ api: true, env: { REDIS_URL: redis.url } });
    ({ api, url, db } = stack);
  });
  afterAll(async () => {
    await stack.stop();
    await redis.kill();
  });

  const signInRequest = (email: string) =>
    fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });

  const health = async () => {
    const response = await fetch(`${url}/health`);
    return { status: response.status, body: (await response.json()) as Record<string, Record<string, unknown>> };
  };

  it('answers 503 where it needs Redis, keeps what it can in PostgreSQL, and catches up when Redis returns', async () => {
    await waitFor('a healthy api', async () => (await health()).status === 200);
    const runner = await signIn(api);
    const [run] = await db.query(
      `INSERT INTO runs (user_id, source, external_id, sport, is_run, start_utc, utc_offset_s, distance_m, moving_s)
       VALUES ($1, 'fit', gen_random_uuid()::text, 'run', true, now() - interval '3 hours', 0, 10000, 3000) RETURNING id`,
      [runner.user.id],
    );

    await redis.kill();

    const down = await waitFor('/health to report the outage', async () => {
      const answer = await health();
      return answer.status === 503 && answer;
    });
    expect(down.body.error).toMatchObject({ redis: { status: 'down' }, queues: { status: 'down' } });
    expect(down.body.info).toMatchObject({ database: { status: 'up' } });

    const started = Date.now();
    const page = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ email: runner.user.email }),
    });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('30');
    const html = await page.text();
    expect(html).toContain('Back in a moment');
    expect(html).toContain(`Deload cannot reach Redis at 127.0.0.1:${redis.port}`);
    const json = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: runner.user.email }),
    });
    expect(json.status).toBe(503);
    expect(await json.json()).toMatchObject({
      statusCode: 503,
      error: 'unavailable',
      reason: `Deload cannot reach Redis at 127.0.0.1:${redis.port}`,
    });
    // Both answers within about a second each (ioredis' command timeout), not after retries.
    expect(Date.now() - started).toBeLessThan(3_000);

    // A pain report is the runner's data: it is stored, and its follow-up (the evaluation) waits in PostgreSQL.
    const report = await fetch(`${url}/api/runs/${run.id}/pain`, {
      method: 'POST',
      headers: { ...runner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ hasPain: true, location: 'lateral_knee', onsetM: 4000 }),
    });
    expect(report.status).toBe(200);
    const [waiting] = await db.query(`SELECT count(*)::int AS n FROM event_outbox WHERE payload->>'userId' = $1`, [runner.user.id]);
    expect(waiting.n).toBe(1);

    await redis.restart();
    await waitFor('a healthy api again', async () => (await health()).status === 200);
    await waitFor('signing in to work again', async () => (await signInRequest(runner.user.email)).status === 202);
    const evaluate = api.get(JobQueue).queue('evaluate');
    await waitFor('the waiting evaluation to be queued', async () =>
      (await evaluate.getJobs(['waiting', 'delayed', 'prioritized'])).some((job) => job.data.userId === runner.user.id),
    );
    // The dispatcher queues the job, then deletes the outbox row in the same transaction: the row
    // leaves when that commits, a moment after the job is visible in Redis.
    await waitFor('the outbox row to leave once its job is queued', async () => {
      const [left] = await db.query(`SELECT count(*)::int AS n FROM event_outbox WHERE payload->>'userId' = $1`, [runner.user.id]);
      return left.n === 0;
    });
  });
});

/** Issue 15: started while Redis is not running (a first start), the api answers 503 at once and works as soon as Redis comes up. */
describe('the api started before Redis', () => {
  let redis: RedisServer;
  let stack: Stack;

  beforeAll(async () => {
    redis = await RedisServer.start();
    await redis.kill();
    stack = await startStack({ api: true, env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await stack.stop();
    await redis.kill();
  });

  it('answers sign-in with a clear 503 quickly, and signs in once Redis is up, without a restart', async () => {
    const signInRequest = () =>
      fetch(`${stack.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail() }),
      });
    const started = Date.now();
    const down = await signInRequest();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      statusCode: 503,
      error: 'unavailable',
      reason: `Deload cannot reach Redis at 127.0.0.1:${redis.port}`,
      message: `Deload cannot reach Redis at 127.0.0.1:${redis.port} right now. Nothing was lost on your side: please try again in a minute.`,
    });

    await redis.restart();
    await waitFor('signing in to work once Redis is up', async () => (await signInRequest()).status === 202);
    // Every queue's connection is back too (they retry on their own, up to 2 s apart).
    await waitFor('a healthy api', async () => (await fetch(`${stack.url}/health`)).status === 200);
  });
});
