import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { HousekeepingCron } from '../../apps/worker/src/housekeeping/housekeeping.cron';
import { JobQueue } from '../../libs/queue/src';
import { uniqueEmail } from '../support/sessions';
import { ownRedisPrefix, testEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

describe('daily housekeeping through the real worker', () => {
  let worker: INestApplicationContext;
  let db: DataSource;

  beforeAll(async () => {
    // Without the cron schedules: the real 03:30 UTC housekeeping would be a second job on this queue
    // (the test counts them), and the 5-minute email sweep would send other test files' pending
    // alert emails from this worker (they share the database).
    worker = await createWorkerApp(testEnv(ownRedisPrefix('housekeeping')), { schedule: false });
    db = worker.get(DataSource);
  });

  afterAll(() => worker?.close());

  it('deletes expired sessions, used links past expiry and old handled webhook events, and keeps the rest', async () => {
    const [user] = await db.query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [uniqueEmail()]);
    const tag = user.id.slice(0, 8);
    await db.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $3, now() - interval '1 day'), ($2, $3, now() + interval '1 day')`,
      [`expired-${tag}`, `live-${tag}`, user.id],
    );
    await db.query(
      `INSERT INTO consumed_tokens (jti, purpose, expires_at) VALUES ($1, 'magic-link', now() - interval '1 hour'), ($2, 'magic-link', now() + interval '1 hour')`,
      [`old-${tag}`, `fresh-${tag}`],
    );
    await db.query(
      `INSERT INTO webhook_events (provider, dedupe_key, payload, status, received_at) VALUES
         ('strava', $1, '{}', 'processed', now() - interval '40 days'),
         ('strava', $2, '{}', 'failed', now() - interval '40 days'),
         ('strava', $3, '{}', 'processed', now() - interval '2 days')`,
      [`old-done-${tag}`, `old-failed-${tag}`, `recent-${tag}`],
    );

    await worker.get(HousekeepingCron).schedule(new Date('2031-01-02T03:30:00Z'));
    await worker.get(HousekeepingCron).schedule(new Date('2031-01-02T03:30:00Z'));
    const queue = worker.get(JobQueue).queue('housekeeping');
    await waitFor('the housekeeping job', async () => (await queue.getJobCounts('completed')).completed === 1);
    expect(await queue.getJobCounts('completed', 'waiting', 'failed')).toMatchObject({ completed: 1, waiting: 0, failed: 0 });

    const sessions = await db.query(`SELECT token_hash FROM sessions WHERE user_id = $1`, [user.id]);
    expect(sessions.map((row: { token_hash: string }) => row.token_hash)).toEqual([`live-${tag}`]);
    const tokens = await db.query(`SELECT jti FROM consumed_tokens WHERE jti LIKE $1`, [`%-${tag}`]);
    expect(tokens.map((row: { jti: string }) => row.jti)).toEqual([`fresh-${tag}`]);
    const events = await db.query(`SELECT dedupe_key FROM webhook_events WHERE dedupe_key LIKE $1 ORDER BY dedupe_key`, [`%-${tag}`]);
    expect(events.map((row: { dedupe_key: string }) => row.dedupe_key)).toEqual([`old-failed-${tag}`, `recent-${tag}`]);
  });
});
