import { HousekeepingCron } from '../../apps/worker/src/housekeeping/housekeeping.cron';
import { JobQueue } from '../../libs/queue/src';
import { uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { waitFor } from '../support/wait';

describe('daily housekeeping through the real worker', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Queues of its own: the test counts the jobs on the housekeeping queue.
    stack = await startStack({ worker: true, redisPrefix: 'housekeeping' });
  });

  afterAll(() => stack?.stop());

  it('deletes expired sessions, used links past expiry and old handled webhook events, and keeps the rest', async () => {
    const [user] = await stack.db.query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [uniqueEmail()]);
    const tag = user.id.slice(0, 8);
    await stack.db.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $3, now() - interval '1 day'), ($2, $3, now() + interval '1 day')`,
      [`expired-${tag}`, `live-${tag}`, user.id],
    );
    await stack.db.query(
      `INSERT INTO consumed_tokens (jti, purpose, expires_at) VALUES ($1, 'magic-link', now() - interval '1 hour'), ($2, 'magic-link', now() + interval '1 hour')`,
      [`old-${tag}`, `fresh-${tag}`],
    );
    await stack.db.query(
      `INSERT INTO webhook_events (provider, dedupe_key, payload, status, received_at) VALUES
         ('strava', $1, '{}', 'processed', now() - interval '40 days'),
         ('strava', $2, '{}', 'failed', now() - interval '40 days'),
         ('strava', $3, '{}', 'processed', now() - interval '2 days')`,
      [`old-done-${tag}`, `old-failed-${tag}`, `recent-${tag}`],
    );

    await stack.worker.get(HousekeepingCron).schedule(new Date('2031-01-02T03:30:00Z'));
    await stack.worker.get(HousekeepingCron).schedule(new Date('2031-01-02T03:30:00Z'));
    const queue = stack.worker.get(JobQueue).queue('housekeeping');
    await waitFor('the housekeeping job', async () => (await queue.getJobCounts('completed')).completed === 1);
    expect(await queue.getJobCounts('completed', 'waiting', 'failed')).toMatchObject({ completed: 1, waiting: 0, failed: 0 });

    const sessions = await stack.db.query(`SELECT token_hash FROM sessions WHERE user_id = $1`, [user.id]);
    expect(sessions.map((row: { token_hash: string }) => row.token_hash)).toEqual([`live-${tag}`]);
    const tokens = await stack.db.query(`SELECT jti FROM consumed_tokens WHERE jti LIKE $1`, [`%-${tag}`]);
    expect(tokens.map((row: { jti: string }) => row.jti)).toEqual([`fresh-${tag}`]);
    const events = await stack.db.query(`SELECT dedupe_key FROM webhook_events WHERE dedupe_key LIKE $1 ORDER BY dedupe_key`, [`%-${tag}`]);
    expect(events.map((row: { dedupe_key: string }) => row.dedupe_key)).toEqual([`old-failed-${tag}`, `recent-${tag}`]);
  });
});
