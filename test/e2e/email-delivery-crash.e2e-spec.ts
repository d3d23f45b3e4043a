import { EmailDeliveryEntity } from '../../libs/persistence/src';
import { JobQueue } from '../../libs/queue/src';
import { uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * Issue 17: a worker killed between claiming an email and the SMTP server's acceptance must not
 * lose it (it was once recorded "assumed delivered" and never sent). The email must arrive exactly
 * once, counted by Message-ID at a real SMTP server.
 */
describe('an email whose worker dies mid-send', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ smtp: true, api: true, redisPrefix: 'crash-send', env: { PAIN_CHECKIN_DELAY_MIN: '0', LOG_LEVEL: 'info' } });
  });
  afterAll(() => stack?.stop());

  it('is sent again with the same Message-ID by the next worker, and arrives exactly once', async () => {
    const email = uniqueEmail();
    const [user] = await stack.db.query(`INSERT INTO users (email, pain_checkin) VALUES ($1, 'on') RETURNING id`, [email]);
    const [run] = await stack.db.query(
      `INSERT INTO runs (user_id, source, external_id, sport, is_run, name, start_utc, utc_offset_s, distance_m, moving_s)
       VALUES ($1, 'fit', gen_random_uuid()::text, 'run', true, 'Morning Run', now() - interval '2 hours', 0, 10000, 3000) RETURNING id`,
      [user.id],
    );
    const held = stack.sink.holdNext();
    await stack.api.get(JobQueue).add('pain-checkin', { runId: run.id }, { jobId: `checkin-${run.id}` });

    const first = await stack.workerProcess();
    await held; // the worker claimed the email and handed it to the server, which has not answered
    const claim = await stack.db.getRepository(EmailDeliveryEntity).findOneByOrFail({ kind: 'pain-checkin', dedupeKey: run.id });
    expect(claim).toMatchObject({ status: 'sending', attempts: 1, claimedBy: expect.stringMatching(/^deload-/) });
    await first.stop('SIGKILL');

    await stack.workerProcess();
    const sent = await waitFor(
      'the next worker to send the email',
      async () => {
        const row = await stack.db.getRepository(EmailDeliveryEntity).findOneByOrFail({ kind: 'pain-checkin', dedupeKey: run.id });
        return row.status === 'sent' && row;
      },
      100_000,
    );
    expect(sent).toMatchObject({ attempts: 2, interruptedAttempts: 1, receipt: expect.stringMatching(/^SMTP 250 /) });
    const job = await stack.api.get(JobQueue).queue('pain-checkin').getJob(`checkin-${run.id}`);
    expect(await job?.getState()).toBe('completed');
    expect(stack.sink.withMessageId(claim.messageId)).toHaveLength(1);
    expect(stack.sink.to(email)).toHaveLength(1);
  }, 150_000);
});
