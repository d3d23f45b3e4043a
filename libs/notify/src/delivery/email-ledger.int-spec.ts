import { INestApplicationContext } from '@nestjs/common';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MailModule, MailTransportError } from '@deload/mail';
import { EmailDeliveryEntity } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { Client } from 'pg';
import { uniqueEmail } from '../../../../test/support/sessions';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import { testEnv } from '../../../../test/support/test-env';
import { EmailInFlightError, EmailLedger } from './email-ledger.service';
import { EmailRetryNudge } from './email-retry-nudge.service';
import { integrationModule } from '../../../../test/support/integration-module';

async function ledgerApp(env: Record<string, string>): Promise<INestApplicationContext> {
  return integrationModule([QueueModule, MailModule], { env, providers: [EmailLedger, EmailRetryNudge] });
}

async function newUser(app: INestApplicationContext): Promise<{ id: string; email: string }> {
  const email = uniqueEmail();
  const [user] = await app.get(DataSource).query(`INSERT INTO users (email) VALUES ($1) RETURNING id, email`, [email]);
  return user;
}

function delivery(user: { id: string; email: string }, dedupeKey: string, onSent?: () => Promise<void>) {
  return {
    kind: 'alert' as const,
    dedupeKey,
    userId: user.id,
    email: {
      to: user.email,
      subject: 'Your long run was 45 % longer than anything in the last 30 days',
      text: 'body',
      html: '<p>body</p>',
    },
    onSent,
  };
}

describe('EmailLedger over SMTP', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let ledger: EmailLedger;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    app = await ledgerApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://deload.example' });
    ledger = app.get(EmailLedger);
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
  });

  it('sends an email once, with its stable Message-ID, however often it is delivered', async () => {
    const user = await newUser(app);
    let recorded = 0;
    const request = delivery(user, `once-${user.id}`, async () => void (recorded += 1));
    expect(await ledger.deliver(request)).toBe('sent');
    expect(await ledger.deliver(request)).toBe('already-sent');
    const received = sink.to(user.email);
    expect(received).toHaveLength(1);
    expect(received[0].messageId).toBe(`<alert.once-${user.id}@deload.example>`);
    expect(recorded).toBe(1);
    expect(await ledger.find('alert', `once-${user.id}`)).toMatchObject({
      status: 'sent',
      attempts: 1,
      interruptedAttempts: 0,
      claimedAt: null,
      claimedBy: null,
      receipt: expect.stringMatching(/^SMTP 250 /),
    });
  });

  it('skips an account that has no real address yet (made through Strava) and never retries it', async () => {
    const [user] = await app
      .get(DataSource)
      .query(`INSERT INTO users (email) VALUES ($1) RETURNING id, email`, [`strava-athlete-${Date.now()}@no-email.invalid`]);
    const before = sink.messages.length;
    expect(await ledger.deliver(delivery(user, `placeholder-${user.id}`))).toBe('skipped');
    expect(await ledger.deliver(delivery(user, `placeholder-${user.id}`))).toBe('skipped');
    expect(sink.messages.length).toBe(before);
    expect(await ledger.find('alert', `placeholder-${user.id}`)).toMatchObject({
      status: 'skipped',
      lastError: 'the account has no email address yet',
    });
  });

  it('records a failed attempt, lets the retry send it, and sends one email in all', async () => {
    const user = await newUser(app);
    const request = delivery(user, `retry-${user.id}`);
    sink.failNext(1);
    await expect(ledger.deliver(request)).rejects.toBeInstanceOf(MailTransportError);
    expect(await ledger.find('alert', request.dedupeKey)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('try again later'),
    });
    expect(await ledger.deliver(request)).toBe('sent');
    expect(sink.to(user.email)).toHaveLength(1);
    expect(await ledger.find('alert', request.dedupeKey)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lets only one of two workers that race for the same email send it', async () => {
    const user = await newUser(app);
    const request = delivery(user, `race-${user.id}`);
    const results = await Promise.allSettled([ledger.deliver(request), ledger.deliver(request), ledger.deliver(request)]);
    const sent = results.filter((result) => result.status === 'fulfilled' && result.value === 'sent');
    expect(sent).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EmailInFlightError);
    }
    expect(sink.to(user.email)).toHaveLength(1);
  });

  /** The row an attempt leaves when its process dies between the claim and the server's answer. */
  async function interruptedClaim(user: { id: string }, key: string, claimedBy: string | null, ago: string): Promise<void> {
    await app.get(DataSource).query(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, message_id, status, attempts, claimed_at, claimed_by)
       VALUES ($1, 'alert', $2, $3, 'sending', 1, now() - $5::interval, $4)`,
      [user.id, key, ledger.messageIdFor('alert', key), claimedBy, ago],
    );
  }

  it('never assumes an interrupted send went out: it sends it again with the same Message-ID, and says so', async () => {
    const user = await newUser(app);
    let recorded = 0;
    const request = delivery(user, `crash-${user.id}`, async () => void (recorded += 1));
    await interruptedClaim(user, request.dedupeKey, 'deload-vanished-host-4242-0badcafe', '5 seconds');
    expect(await ledger.deliver(request)).toBe('sent');
    const received = sink.to(user.email);
    expect(received.map((message) => message.messageId)).toEqual([ledger.messageIdFor('alert', request.dedupeKey)]);
    expect(recorded).toBe(1);
    expect(await ledger.find('alert', request.dedupeKey)).toMatchObject({
      status: 'sent',
      attempts: 2,
      interruptedAttempts: 1,
      receipt: expect.stringMatching(/^SMTP 250 /),
      lastError: expect.stringContaining('stopped before the server answered'),
    });
  });

  it('leaves a send in flight alone while the process sending it is alive', async () => {
    const user = await newUser(app);
    const request = delivery(user, `live-${user.id}`);
    const processId = `deload-test-live-${user.id.slice(0, 8)}`;
    const live = new Client({ connectionString: testEnv().DATABASE_URL, application_name: processId });
    await live.connect();
    try {
      await interruptedClaim(user, request.dedupeKey, processId, '5 seconds');
      await expect(ledger.deliver(request)).rejects.toBeInstanceOf(EmailInFlightError);
    } finally {
      await live.end();
    }
    expect(await ledger.deliver(request)).toBe('sent');
    expect(sink.to(user.email)).toHaveLength(1);
  });

  it('sends again a claim older than the grace whose process cannot be asked (an older version’s row)', async () => {
    const user = await newUser(app);
    const request = delivery(user, `old-claim-${user.id}`);
    await interruptedClaim(user, request.dedupeKey, null, '10 minutes');
    expect(await ledger.deliver(request)).toBe('sent');
    expect(sink.to(user.email)).toHaveLength(1);
    expect(await ledger.find('alert', request.dedupeKey)).toMatchObject({ status: 'sent', interruptedAttempts: 1 });
  });

  it('keeps an email it was told to skip from being sent later', async () => {
    const user = await newUser(app);
    await ledger.skip('alert', `skip-${user.id}`, user.id, 'unsubscribed');
    expect(await ledger.deliver(delivery(user, `skip-${user.id}`))).toBe('skipped');
    expect(sink.to(user.email)).toHaveLength(0);
    expect(
      await app
        .get(DataSource)
        .getRepository(EmailDeliveryEntity)
        .findOneBy({ dedupeKey: `skip-${user.id}` }),
    ).toMatchObject({
      status: 'skipped',
      lastError: 'unsubscribed',
    });
  });
});

describe('EmailLedger with the outbox', () => {
  let app: INestApplicationContext;
  let ledger: EmailLedger;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deload-ledger-'));
    app = await ledgerApp({ OUTBOX_DIR: dir });
    ledger = app.get(EmailLedger);
  });
  afterAll(() => app.close());

  it('after a crash, sends again only if the outbox does not hold the email yet', async () => {
    const user = await newUser(app);
    const db = app.get(DataSource);
    const gone = 'deload-vanished-host-4242-0badcafe';
    await db.query(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, message_id, status, attempts, claimed_at, claimed_by)
       VALUES ($1, 'alert', $2, $3, 'sending', 1, now(), $4)`,
      [user.id, `lost-${user.id}`, ledger.messageIdFor('alert', `lost-${user.id}`), gone],
    );
    expect(await ledger.deliver(delivery(user, `lost-${user.id}`))).toBe('sent');
    expect(await readdir(dir)).toHaveLength(1);

    expect(await ledger.deliver(delivery(user, `written-${user.id}`))).toBe('sent');
    await db.query(`UPDATE email_deliveries SET status = 'sending', claimed_at = now(), claimed_by = $2 WHERE dedupe_key = $1`, [
      `written-${user.id}`,
      gone,
    ]);
    expect(await ledger.deliver(delivery(user, `written-${user.id}`))).toBe('already-sent');
    expect(await readdir(dir)).toHaveLength(2);
    expect(await ledger.find('alert', `written-${user.id}`)).toMatchObject({ status: 'sent', receipt: expect.stringMatching(/^outbox /) });
  });
});
