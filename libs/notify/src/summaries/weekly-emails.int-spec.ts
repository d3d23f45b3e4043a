import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthModule } from '@deload/auth';
import { MailModule } from '@deload/mail';
import { AlertEntity, UserEntity } from '@deload/persistence';
import { JobQueue, QueueModule } from '@deload/queue';
import { uniqueEmail } from '../../../../test/support/sessions';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import { ownRedisPrefix } from '../../../../test/support/test-env';
import { EmailLedger } from '../delivery/email-ledger.service';
import { EmailRetryNudge } from '../delivery/email-retry-nudge.service';
import { EmailLinks } from '../links/email-links.service';
import { EmailRenderer } from '../render/email-renderer';
import { CoachDigestService } from './coach-digest.service';
import { WeeklyEmailScheduler } from './weekly-email-scheduler.service';
import { WeeklySummaryService } from './weekly-summary.service';
import { integrationModule } from '../../../../test/support/integration-module';

async function weeklyApp(sink: SmtpSink, env: Record<string, string> = {}): Promise<INestApplicationContext> {
  return integrationModule([QueueModule, MailModule, AuthModule], {
    env: { SMTP_URL: sink.url, ...ownRedisPrefix('weekly-emails'), ...env },
    providers: [
      WeeklySummaryService,
      CoachDigestService,
      WeeklyEmailScheduler,
      EmailLedger,
      EmailRetryNudge,
      EmailLinks,
      { provide: EmailRenderer, useFactory: () => new EmailRenderer() },
    ],
  });
}

describe('weekly summary and coach digest against PostgreSQL', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let db: DataSource;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    app = await weeklyApp(sink);
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
  });

  async function user(fields: Partial<UserEntity> = {}): Promise<UserEntity> {
    const users = db.getRepository(UserEntity);
    return users.save(users.create({ email: uniqueEmail(), timezone: 'Europe/Oslo', ...fields }));
  }

  /** A run on a local date at 07:00, UTC+1; `sources` are the run_sources it came from. */
  async function run(userId: string, localDate: string, distanceM: number, sources: ('fit' | 'strava')[] = ['fit']): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO runs (user_id, source, external_id, sport, is_run, start_utc, utc_offset_s, distance_m, moving_s)
       VALUES ($1, $2, gen_random_uuid()::text, 'run', true, ($3::date + time '06:00') AT TIME ZONE 'UTC', 3600, $4::float8, $4::float8 * 0.33)
       RETURNING id, external_id`,
      [userId, sources[0], localDate, distanceM],
    );
    for (const source of sources) {
      await db.query(`INSERT INTO run_sources (run_id, user_id, source, external_id) VALUES ($1, $2, $3, gen_random_uuid()::text)`, [
        row.id,
        userId,
        source,
      ]);
    }
    return row.id;
  }

  describe('WeeklyEmailScheduler', () => {
    const monday0730Oslo = new Date('2025-03-10T06:30:00Z');

    it("queues each runner's summary on Monday morning in their own time zone, once", async () => {
      const oslo = await user();
      const newYork = await user({ timezone: 'America/New_York' });
      const unknownZone = await user({ timezone: 'Mars/Olympus_Mons' });
      const optedOut = await user({ emailWeeklySummary: false });
      const scheduler = app.get(WeeklyEmailScheduler);
      const queue = app.get(JobQueue).queue('weekly-summary');
      await scheduler.enqueueDue(monday0730Oslo);
      const job = (userId: string) => queue.getJob(`summary-${userId}-2025-W10`);
      expect((await job(oslo.id))?.data).toEqual({ userId: oslo.id, week: '2025-W10' });
      expect(await job(newYork.id)).toBeUndefined();
      expect(await job(unknownZone.id)).toBeUndefined();
      expect(await job(optedOut.id)).toBeUndefined();

      await scheduler.enqueueDue(new Date('2025-03-10T07:30:00Z'));
      expect(await job(unknownZone.id)).toBeDefined();
      await scheduler.enqueueDue(new Date('2025-03-10T12:30:00Z'));
      expect(await job(newYork.id)).toBeDefined();

      await app.get(EmailLedger).skip('weekly-summary', `${oslo.id}-2025-W10`, oslo.id, 'test');
      await (await job(oslo.id))!.remove();
      await scheduler.enqueueDue(new Date('2025-03-10T08:30:00Z'));
      expect(await job(oslo.id)).toBeUndefined();
    });

    it('queues a digest for coaches who have a team', async () => {
      const coach = await user({ role: 'coach' });
      const teamless = await user({ role: 'coach' });
      await db.query(`INSERT INTO teams (name, coach_id, invite_code) VALUES ('Club', $1, $2)`, [coach.id, uniqueEmail('code')]);
      await app.get(WeeklyEmailScheduler).enqueueDue(monday0730Oslo);
      const queue = app.get(JobQueue).queue('coach-digest');
      expect((await queue.getJob(`digest-${coach.id}-2025-W10`))?.data).toEqual({ coachId: coach.id, week: '2025-W10' });
      expect(await queue.getJob(`digest-${teamless.id}-2025-W10`)).toBeUndefined();
    });
  });

  it("summarises the runner's week against the 4 weeks before, in local days, once", async () => {
    const runner = await user({ units: 'km' });
    for (const [date, km] of [
      ['2025-02-01', 5],
      ['2025-02-05', 10],
      ['2025-02-12', 10],
      ['2025-02-19', 10],
      ['2025-02-26', 10],
      ['2025-03-02', 8],
      ['2025-03-03', 10],
      ['2025-03-05', 12],
      ['2025-03-09', 24],
      ['2025-03-10', 30],
    ] as const)
      await run(runner.id, date, km * 1000);
    const painful = await run(runner.id, '2025-03-07', 6000);
    await db.query(
      `INSERT INTO pain_reports (user_id, run_id, has_pain, location, onset_m, source) VALUES ($1, $2, true, 'lateral_knee', 4000, 'web')`,
      [runner.id, painful],
    );
    const summaries = app.get(WeeklySummaryService);
    expect(await summaries.send(runner.id, '2025-W10')).toBe('sent');
    expect(await summaries.send(runner.id, '2025-W10')).toBe('already-sent');
    const [email, ...more] = sink.to(runner.email);
    expect(more).toHaveLength(0);
    expect(email.subject).toBe('Your week: 52 km in 4 runs');
    expect(email.text).toContain('- Longest run: 24 km');
    // Week of 3–9 March: 10 + 12 + 6 + 24 km. The 4 weeks before (3 Feb – 2 Mar): 10 + 10 + 10 + 10 + 8 = 48 km,
    // 12 km a week; 52 / 12 = +333 %. 1 Feb and 10 March fall outside both.
    expect(email.text).toContain('Against your 4-week average (12 km): +333 %');
    expect(email.text).toContain('- Friday: outer-knee pain from 4 km');
  });

  it('lists every sign of the week under "watch this week", with its numbers and suggestion, and says which were emailed', async () => {
    const runner = await user({ units: 'km', alertEmails: 'none' });
    await run(runner.id, '2025-03-04', 12_000);
    const alerts = db.getRepository(AlertEntity);
    const signal = (fields: Partial<AlertEntity> & Pick<AlertEntity, 'rule' | 'severity' | 'facts'>, suggestion: string) =>
      alerts.save(
        alerts.create({
          userId: runner.id,
          dedupeKey: fields.rule,
          message: { headline: 'the engine’s sentence', suggestions: [suggestion] },
          state: 'open',
          firstSeenAt: new Date('2025-03-05T08:00:00Z'),
          lastSeenAt: new Date('2025-03-09T08:00:00Z'),
          ...fields,
        }),
      );
    await signal(
      { rule: 'weekly-increase', severity: 'caution', facts: { acuteM: 52_000, baselineWeeklyM: 38_000, ratio: 1.368 } },
      'Make the next 7 days about 20–30 % lighter.',
    );
    await signal(
      {
        rule: 'single-run-spike',
        severity: 'caution',
        facts: { distanceM: 24_000, previousLongestM: 16_000, ratio: 1.5, runDate: '2025-03-09' },
        notifiedAt: new Date('2025-03-09T09:00:00Z'),
      },
      'Build your longest run back up by about 10 % at a time.',
    );
    // Seen during the week, resolved since: still this week's news.
    await signal(
      {
        rule: 'monotony',
        severity: 'info',
        facts: { monotony: 2.4, weeklyM: 52_000, medianWeeklyM: 40_000 },
        state: 'resolved',
        lastSeenAt: new Date('2025-03-06T08:00:00Z'),
      },
      'Make one day a week clearly easier.',
    );
    // Over before the week began: not.
    await signal(
      {
        rule: 'downhill-spike',
        severity: 'caution',
        facts: { acuteLossM: 900, baselineWeeklyLossM: 300, ratio: 3 },
        state: 'resolved',
        lastSeenAt: new Date('2025-02-20T08:00:00Z'),
      },
      'Walk the steep descents.',
    );
    expect(await app.get(WeeklySummaryService).send(runner.id, '2025-W10')).toBe('sent');
    const [email] = sink.to(runner.email);
    expect(email.subject).toBe('Your week: 12 km in 1 run, 2 signs to watch');
    expect(email.text).toContain(
      'Watch this week\n' +
        '- Caution: Your long run was 50 % longer than anything in the last 30 days\n' +
        '  Run: 24 km, Sunday 9 March · Longest run in the 30 days before: 16 km · Longer by: 50 %\n' +
        '  Build your longest run back up by about 10 % at a time.\n' +
        '  (We emailed you about this one.)\n' +
        '- Caution: You ran 37 % more this week than usual (52 km against 38 km)\n' +
        '  Last 7 days: 52 km · Your average week, the 4 weeks before: 38 km · Change: +37 %\n' +
        '  Make the next 7 days about 20–30 % lighter.\n' +
        '- Heads-up: Your training week was heavy and very much the same every day\n',
    );
    expect(email.text).not.toContain('descent');
    expect(email.text).toContain('not medical advice');
    expect(email.html).toContain('Watch this week');
  });

  it('skips a runner who has not run for five weeks, and one who opted out', async () => {
    const idle = await user();
    await run(idle.id, '2024-12-01', 10_000);
    const optedOut = await user({ emailWeeklySummary: false });
    await run(optedOut.id, '2025-03-05', 10_000);
    const summaries = app.get(WeeklySummaryService);
    expect(await summaries.send(idle.id, '2025-W10')).toBe('skipped');
    expect(await summaries.send(optedOut.id, '2025-W10')).toBe('skipped');
    expect(sink.to(idle.email)).toHaveLength(0);
    expect(sink.to(optedOut.email)).toHaveLength(0);
  });

  it("shows a coach only consenting runners, and only their uploads' distances while Strava sharing is off", async () => {
    const coach = await user({ role: 'coach' });
    const [team] = await db.query(`INSERT INTO teams (name, coach_id, invite_code) VALUES ('Tuesday Trail Club', $1, $2) RETURNING id`, [
      coach.id,
      uniqueEmail('code'),
    ]);
    const ada = await user({ displayName: 'Ada' });
    const left = await user({ displayName: 'Left Runner' });
    await db.query(
      `INSERT INTO memberships (team_id, runner_id, status, consent_given_at) VALUES ($1, $2, 'active', now()), ($1, $3, 'left', now())`,
      [team.id, ada.id, left.id],
    );
    await run(ada.id, '2025-03-04', 12_000, ['fit']);
    await run(ada.id, '2025-03-06', 30_000, ['strava']);
    await run(ada.id, '2025-03-08', 10_000, ['strava', 'fit']);
    await db.query(
      `INSERT INTO alerts (user_id, rule, severity, dedupe_key, facts, message, first_seen_at, last_seen_at)
       VALUES ($1, 'pain-earlier', 'warning', 'pain-lateral_knee', '{}', '{"headline":"private words"}', now(), now())`,
      [ada.id],
    );
    expect(await app.get(CoachDigestService).send(coach.id, '2025-W10')).toBe('sent');
    const [email] = sink.to(coach.email);
    expect(email.subject).toBe('Your team, 3–9 March 2025: 1 runner to look at');
    expect(email.text).toContain('- Ada: 22 km (warning: pain starting earlier)');
    expect(email.text).not.toContain('Left Runner');
    expect(email.text).not.toContain('private words');
    expect(email.text).toContain('Distances count FIT uploads only');
  });

  it('counts Strava runs for a coach only when sharing is on and the runner agreed to it when joining', async () => {
    const sharingApp = await weeklyApp(sink, { STRAVA_COACH_SHARING: 'true' });
    try {
      const coach = await user({ role: 'coach' });
      const [team] = await db.query(`INSERT INTO teams (name, coach_id, invite_code) VALUES ('Sharing Club', $1, $2) RETURNING id`, [
        coach.id,
        uniqueEmail('code'),
      ]);
      const agreed = await user({ displayName: 'Agreed' });
      const notAsked = await user({ displayName: 'Not Asked' });
      await db.query(
        `INSERT INTO memberships (team_id, runner_id, status, consent_given_at, scope)
         VALUES ($1, $2, 'active', now(), '{"stravaData": true}'), ($1, $3, 'active', now(), '{}')`,
        [team.id, agreed.id, notAsked.id],
      );
      for (const runner of [agreed, notAsked]) {
        await run(runner.id, '2025-03-04', 12_000, ['fit']);
        await run(runner.id, '2025-03-06', 30_000, ['strava']);
      }
      expect(await sharingApp.get(CoachDigestService).send(coach.id, '2025-W10')).toBe('sent');
      const [email] = sink.to(coach.email);
      expect(email.text).toContain('- Agreed: 42 km');
      expect(email.text).toContain('- Not Asked: 12 km');
    } finally {
      await sharingApp.close();
    }
  });
});
