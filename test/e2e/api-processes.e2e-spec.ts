import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { stravaEventJobId } from '../../libs/strava/src';
import { freePort } from '../support/ports';
import { RunningProcess, startCompiled } from '../support/processes';
import { postWebhook } from '../support/requests';
import { TEST_REDIS_URL, testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/**
 * API_PROCESSES=2 (issue 16): one port, two api processes (node:cluster). Strava's deliveries and
 * their retries spread over both, and each event is still stored once and queued once; an event the
 * single api spooled before is stored by the first process; a process that dies is started again;
 * SIGTERM stops them all.
 */
describe('the api on several processes (API_PROCESSES)', () => {
  const subscriptionId = 700_000 + Math.floor(Math.random() * 100_000);
  const ownerId = 600_000 + Math.floor(Math.random() * 100_000);
  const firstActivity = 10_000_000 + Math.floor(Math.random() * 1e9);
  const spoolRoot = mkdtempSync(join(tmpdir(), 'deload-api-processes-'));
  const env = testEnv({
    API_PROCESSES: '2',
    SPOOL_DIR: spoolRoot,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'pretty',
    STRAVA_WEBHOOK_RATE_LIMIT: '100000',
  });
  let db: DataSource;
  let redis: Redis;
  let queue: Queue;
  let api: RunningProcess | undefined;

  const event = (n: number) => ({
    object_type: 'activity',
    object_id: firstActivity + n,
    aspect_type: 'create',
    updates: {},
    owner_id: ownerId,
    subscription_id: subscriptionId,
    event_time: 1_760_000_000 + n,
  });

  const servingLines = () => api!.stdout.split('\n').filter((line) => /INFO {2}api process \d+ serving/.test(line));

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(env.DATABASE_URL)).initialize();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue('strava-event', { connection: redis, prefix: env.REDIS_KEY_PREFIX });
    await db.query(`INSERT INTO strava_push_subscriptions (id, callback_url) VALUES ($1, 'http://deload.test/webhooks/strava')`, [
      subscriptionId,
    ]);
  });
  afterAll(async () => {
    await api?.stop();
    await db?.query(`DELETE FROM webhook_events WHERE provider = 'strava' AND payload->>'owner_id' = $1`, [String(ownerId)]);
    await db?.query(`DELETE FROM strava_push_subscriptions WHERE id = $1`, [subscriptionId]);
    await queue?.close();
    redis?.disconnect();
    await db?.destroy();
  });

  it('serves one port from two processes: every event delivered twice is stored once and queued once', async () => {
    // What a single api spooled while PostgreSQL was away, before this start.
    mkdirSync(spoolRoot, { recursive: true });
    writeFileSync(join(spoolRoot, 'strava-webhooks.ndjson'), `${JSON.stringify(event(0))}\n`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    api = startCompiled('dist/apps/api/src/main.js', [], { ...env, PORT: String(port) });
    await api.waitForOutput(/Deload api listening on .* \(2 processes\)/, 90_000);
    expect(servingLines()).toHaveLength(2);
    // The single api's spool went to api-1 (a process's folder appears when it first spools).
    expect(readdirSync(spoolRoot)).toEqual(['api-1']);

    const events = Array.from({ length: 40 }, (_, i) => event(i + 1));
    // Every event twice at once, as Strava retries: the two copies of one event often reach different processes.
    const answers = await Promise.all([...events, ...[...events].reverse()].map((body) => postWebhook(url, body)));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));

    const rows = async () =>
      (await db.query(
        `SELECT id, payload->>'object_id' AS object FROM webhook_events WHERE provider = 'strava' AND payload->>'owner_id' = $1`,
        [String(ownerId)],
      )) as { id: string; object: string }[];
    // The spooled event too, once api-1 has drained its spool.
    await waitFor('41 inbox rows', async () => (await rows()).length === 41, 30_000);
    const stored = await rows();
    expect(new Set(stored.map((row) => row.object)).size).toBe(41);
    const jobs = await Promise.all(stored.map((row) => queue.getJob(stravaEventJobId(String(row.id)))));
    expect(jobs.filter(Boolean)).toHaveLength(41);
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized')).toBe(41);
  });

  it('starts a process that died again, and stops every process on SIGTERM', async () => {
    const pid = Number(/api process (\d+) serving/.exec(servingLines()[0])![1]);
    process.kill(pid, 'SIGKILL');
    await waitFor('a third process serving', () => servingLines().length === 3, 90_000);
    expect(api!.stdout).toMatch(new RegExp(`ERROR ApiCluster: api process \\d \\(pid ${pid}\\) died \\(SIGKILL\\): starting it again`));
    const finished = await api!.stop('SIGTERM');
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/ApiCluster: SIGTERM: stopping 2 api processes/);
    expect(finished.stdout.match(/Lifecycle: stopped: connections closed/g)).toHaveLength(2);
  });
});
