import { NestExpressApplication } from '@nestjs/platform-express';
import { readdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../libs/queue/src';
import { stravaEventJobId } from '../../libs/strava/src';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/**
 * Issue 17: with PostgreSQL away, Strava's webhooks are still accepted (spooled on disk, stored
 * once the database answers), everything else answers a clear 503, and /health says which part is
 * down. The database "goes away" behind a TCP proxy the test cuts.
 */
describe('the api while PostgreSQL is away', () => {
  let proxy: TcpProxy;
  let stack: Stack;
  let api: NestExpressApplication;
  let url: string;
  let db: DataSource;
  let env: Record<string, string>;
  const subscriptionId = 700_000 + Math.floor(Math.random() * 100_000);
  let nextActivity = Math.floor(Math.random() * 1e9);

  const event = () => ({
    object_type: 'activity',
    object_id: nextActivity++,
    aspect_type: 'create',
    updates: {},
    owner_id: 4242,
    subscription_id: subscriptionId,
    event_time: 1_760_000_000,
  });
  const post = (body: unknown) =>
    fetch(`${url}/webhooks/strava`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    proxy = await TcpProxy.start(testEnv().DATABASE_URL);
    stack = await startStack({ api: true, env: { DATABASE_URL: proxy.via(testEnv().DATABASE_URL), DATABASE_CONNECT_RETRIES: '1' } });
    ({ api, url, db, env } = stack);
    await db.query(`INSERT INTO strava_push_subscriptions (id, callback_url) VALUES ($1, 'http://deload.test/webhooks/strava')`, [
      subscriptionId,
    ]);
  });
  afterAll(async () => {
    await proxy.restore();
    await db.query(`DELETE FROM strava_push_subscriptions WHERE id = $1`, [subscriptionId]);
    await stack.stop();
    await proxy.cut();
  });

  it('spools webhooks and answers 503 elsewhere; once the database is back the spooled events reach the inbox and the queue', async () => {
    const runner = await signIn(api);
    expect((await post(event())).status).toBe(200); // reads our subscription id while the database is up

    await proxy.cut();

    const events = [event(), event(), event()];
    const answers = await Promise.all(events.map(post));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    for (const answer of answers) expect(await answer.json()).toEqual({ received: true }); // the same answer as when stored: no oracle
    expect(readdirSync(env.SPOOL_DIR).length).toBeGreaterThan(0);

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { database: { status: 'down' } } });
    const me = await fetch(`${url}/api/me`, { headers: runner.headers });
    expect(me.status).toBe(503);
    expect(me.headers.get('retry-after')).toBe('30');
    const proxied = new URL(proxy.via(testEnv().DATABASE_URL));
    expect(await me.json()).toMatchObject({
      statusCode: 503,
      error: 'unavailable',
      reason: `Deload cannot reach PostgreSQL at ${proxied.hostname}:${proxied.port}`,
    });
    const page = await fetch(`${url}/me`, { headers: { cookie: runner.cookie, accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Back in a moment');

    await proxy.restore();

    const ids = events.map((sent) => String(sent.object_id));
    const rows = await waitFor('the spooled events in the inbox', async () => {
      const found: { id: string }[] = await db.query(
        `SELECT id FROM webhook_events WHERE provider = 'strava' AND payload->>'object_id' = ANY($1)`,
        [ids],
      );
      return found.length === ids.length && found;
    });
    for (const row of rows) expect(await api.get(JobQueue).queue('strava-event').getJob(stravaEventJobId(row.id))).toBeDefined();
    await waitFor('an empty spool', () => readdirSync(env.SPOOL_DIR).length === 0);
  });
});
