import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthModule } from '@deload/auth';
import { MailModule } from '@deload/mail';
import { AlertEntity } from '@deload/persistence';
import { JobQueue, QueueModule } from '@deload/queue';
import { uniqueEmail } from '../../../../test/support/sessions';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import { ownRedisPrefix } from '../../../../test/support/test-env';
import { EmailLedger } from '../delivery/email-ledger.service';
import { EmailRetryNudge } from '../delivery/email-retry-nudge.service';
import { EmailLinks } from '../links/email-links.service';
import { EmailRenderer } from '../render/email-renderer';
import { AlertEmailRequests } from './alert-email-requests.service';
import { AlertNotifier } from './alert-notifier.service';
import { integrationModule } from '../../../../test/support/integration-module';

const SPIKE_FACTS = { runId: 'r1', runDate: '2025-03-09', distanceM: 24_000, previousLongestM: 16_552, ratio: 1.45, lookbackDays: 30 };
const SPIKE_MESSAGE = {
  headline: 'Your 24 km run on Sunday was 45 % longer than anything in the 30 days before it (17 km).',
  explanation:
    'In a study of 5,205 runners, a single run more than 10 % longer than the longest of the previous 30 days came with a higher injury rate.',
  suggestions: ['Cut the next 7 days by 20–30 %.', 'Keep the runs easy and flat, and skip the long run this week.'],
  disclaimer:
    'This is a suggestion based on your training log, not medical advice. If pain lasts around two weeks or gets worse, see a physiotherapist or doctor.',
};

describe('AlertNotifier against PostgreSQL and a real SMTP server', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let db: DataSource;
  let notifier: AlertNotifier;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    app = await integrationModule([QueueModule, MailModule, AuthModule], {
      env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://deload.example', ...ownRedisPrefix('alert-notifier') },
      providers: [
        AlertNotifier,
        AlertEmailRequests,
        EmailLedger,
        EmailRetryNudge,
        EmailLinks,
        { provide: EmailRenderer, useFactory: () => new EmailRenderer() },
      ],
    });
    db = app.get(DataSource);
    notifier = app.get(AlertNotifier);
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
  });

  async function runnerWithAlert(overrides: Partial<AlertEntity> = {}, units: 'km' | 'mi' = 'km', alertEmails = 'all') {
    const email = uniqueEmail();
    const [user] = await db.query(`INSERT INTO users (email, units, alert_emails) VALUES ($1, $2, $3) RETURNING id`, [
      email,
      units,
      alertEmails,
    ]);
    const alert = await db.getRepository(AlertEntity).save(
      db.getRepository(AlertEntity).create({
        userId: user.id,
        rule: 'single-run-spike',
        severity: 'caution',
        dedupeKey: 'run-r1',
        facts: SPIKE_FACTS,
        message: SPIKE_MESSAGE,
        state: 'open',
        firstSeenAt: new Date(),
        lastSeenAt: new Date(),
        notifyRequestedAt: new Date(),
        ...overrides,
      }),
    );
    return { email, userId: user.id as string, alert };
  }

  it('sends one email with the numbers, the suggestion, the disclaimer and one-click unsubscribe', async () => {
    const { email, alert } = await runnerWithAlert();
    expect(await notifier.notify(alert.id)).toBe('sent');
    expect(await notifier.notify(alert.id)).toBe('not-requested');
    const [received, ...more] = sink.to(email);
    expect(more).toHaveLength(0);
    expect(received.subject).toBe('Your long run was 45 % longer than anything in the last 30 days');
    expect(received.text).toContain('Longest run in the 30 days before: 17 km');
    expect(received.text).toContain('Cut the next 7 days by 20–30 %.');
    expect(received.text).toContain('not medical advice');
    expect(received.text).toContain('See your training: https://deload.example/me');
    expect(received.html).toContain('Longer by');
    expect(received.html).toMatch(/<td style="[^"]*font-weight: 600[^>]*>45 %<\/td>/);
    const header = (name: string) => received.headerLines.find((line) => line.key === name)?.line.replace(/\r?\n\s+/g, ' ') ?? '';
    expect(header('list-unsubscribe')).toMatch(/^List-Unsubscribe:\s+<https:\/\/deload\.example\/email\/unsubscribe\?t=[\w.-]+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const stored = await db.getRepository(AlertEntity).findOneByOrFail({ id: alert.id });
    expect(stored.notifiedAt).not.toBeNull();
    expect(stored.notifiedSeverity).toBe('caution');
  });

  it('writes distances in the runner units', async () => {
    const { email, alert } = await runnerWithAlert({}, 'mi');
    await notifier.notify(alert.id);
    expect(sink.to(email)[0].text).toContain('Run: 15 mi, Sunday 9 March');
  });

  it('sends again when the lifecycle asks again (a new request), and only then', async () => {
    const { email, alert } = await runnerWithAlert();
    await notifier.notify(alert.id);
    await db.query(`UPDATE alerts SET severity = 'high', notify_requested_at = now() + interval '1 millisecond' WHERE id = $1`, [alert.id]);
    expect(await notifier.notify(alert.id)).toBe('sent');
    expect(await notifier.notify(alert.id)).toBe('not-requested');
    expect(sink.to(email)).toHaveLength(2);
  });

  it('sends nothing to a runner who unsubscribed, or for an alert that resolved meanwhile', async () => {
    const unsubscribed = await runnerWithAlert();
    await app
      .get(EmailLinks)
      .unsubscribe(new URL(app.get(EmailLinks).unsubscribeUrl(unsubscribed.userId, 'alerts')).searchParams.get('t')!);
    expect(await notifier.notify(unsubscribed.alert.id)).toBe('skipped');
    const resolved = await runnerWithAlert({ state: 'resolved', resolvedAt: new Date() });
    expect(await notifier.notify(resolved.alert.id)).toBe('skipped');
    expect(sink.to(unsubscribed.email)).toHaveLength(0);
    expect(sink.to(resolved.email)).toHaveLength(0);
  });

  it('carries the week’s other signals under "also this week", with their numbers and a suggestion', async () => {
    const { email, userId, alert } = await runnerWithAlert();
    const weekly = await db.getRepository(AlertEntity).save({
      userId,
      rule: 'weekly-increase' as const,
      severity: 'caution' as const,
      dedupeKey: 'load',
      facts: { acuteM: 52_000, baselineWeeklyM: 38_000, ratio: 1.368 },
      message: {
        headline: 'You ran 52 km in the last 7 days, 37 % more than your average week of 38 km over the 4 weeks before.',
        suggestions: ['Make the next 7 days about 20–30 % lighter: around 38 km.'],
      },
      state: 'open' as const,
      firstSeenAt: new Date(),
      lastSeenAt: new Date(),
    });
    await db.getRepository(AlertEntity).update(alert.id, { notifyAlso: [weekly.id] });
    expect(await notifier.notify(alert.id)).toBe('sent');
    const [received] = sink.to(email);
    expect(received.subject).toBe('Your long run was 45 % longer than anything in the last 30 days');
    const text = received.text ?? '';
    expect(text.indexOf('Longest run in the 30 days before: 17 km')).toBeLessThan(text.indexOf('Also this week'));
    expect(text).toContain(
      'Also this week\n' +
        '- Caution: You ran 37 % more this week than usual (52 km against 38 km)\n' +
        '  Last 7 days: 52 km · Your average week, the 4 weeks before: 38 km · Change: +37 %\n' +
        '  Make the next 7 days about 20–30 % lighter: around 38 km.\n',
    );
    expect(received.html).toContain('Also this week');
    expect(text).toContain('not medical advice');
  });

  it('holds back what the runner’s setting no longer lets through, whatever the evaluation asked', async () => {
    const none = await runnerWithAlert({}, 'km', 'none');
    expect(await notifier.notify(none.alert.id)).toBe('skipped');
    const strongest = await runnerWithAlert({}, 'km', 'strongest');
    expect(await notifier.notify(strongest.alert.id)).toBe('skipped');
    const strongestHigh = await runnerWithAlert({ severity: 'high', facts: { ...SPIKE_FACTS, ratio: 2.2 } }, 'km', 'strongest');
    expect(await notifier.notify(strongestHigh.alert.id)).toBe('sent');
    expect(sink.to(none.email)).toHaveLength(0);
    expect(sink.to(strongest.email)).toHaveLength(0);
    const delivery = await db.query(`SELECT last_error FROM email_deliveries WHERE user_id = $1`, [strongest.userId]);
    expect(delivery).toEqual([{ last_error: 'the runner chose only the strongest warnings by email' }]);
  });

  it('sweeps up requests whose job was lost, but not the ones already sent or skipped', async () => {
    const longAgo = new Date(Date.now() - 10 * 60_000);
    const lost = await runnerWithAlert({ notifyRequestedAt: longAgo });
    // notify_requested_at as PostgreSQL writes now(): microseconds, which a JS Date cannot hold.
    await db.query(`UPDATE alerts SET notify_requested_at = now() - interval '10 minutes 0.123456 seconds' WHERE id = $1`, [lost.alert.id]);
    const sent = await runnerWithAlert({ notifyRequestedAt: longAgo });
    await notifier.notify(sent.alert.id);
    await db.query(`UPDATE alerts SET notified_at = NULL WHERE id = $1`, [sent.alert.id]);
    const fresh = await runnerWithAlert();

    const requests = app.get(AlertEmailRequests);
    const queue = app.get(JobQueue).queue('notify');
    await requests.sweep();
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    const swept = jobs.map((job) => job.data.alertId);
    expect(swept).toContain(lost.alert.id);
    expect(swept).not.toContain(sent.alert.id);
    expect(swept).not.toContain(fresh.alert.id);
    await requests.sweep();
    expect((await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((job) => job.data.alertId === lost.alert.id)).toHaveLength(
      1,
    );
    await queue.obliterate({ force: true });
  });
});
