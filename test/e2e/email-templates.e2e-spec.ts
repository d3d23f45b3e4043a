import { INestApplicationContext } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { AlertNotifier, CoachDigestService, PainCheckinMailer, weekBounds, WeeklySummaryService } from '../../libs/notify/src';
import { PainCheckins } from '../../libs/pain-reports/src';
import { AlertEntity, UserEntity } from '../../libs/persistence/src';
import { recordPageErrors, screenshot, TEST_OUTPUT_DIR, VIEWPORTS } from '../support/browser';
import { uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

const EMAILS_DIR = join(TEST_OUTPUT_DIR, 'emails');
const DISCLAIMER =
  'This is a suggestion based on your training log, not medical advice. If pain lasts around two weeks or gets worse, see a physiotherapist or doctor.';

/** One alert of each rule, with facts and message pieces shaped as libs/rules writes them. */
const ALERTS: Pick<AlertEntity, 'rule' | 'severity' | 'facts' | 'message'>[] = [
  {
    rule: 'single-run-spike',
    severity: 'caution',
    facts: { runId: 'r9', runDate: '2025-03-09', distanceM: 24_000, previousLongestM: 16_552, ratio: 1.45, lookbackDays: 30 },
    message: {
      headline: 'Your 24 km run on Sunday was 45 % longer than anything in the 30 days before it (17 km).',
      explanation:
        'In a study of 5,205 runners, a single run more than 10 % longer than the longest of the previous 30 days came with a higher injury rate (Frandsen et al., 2025); the bigger the jump, the higher the risk. Your legs adapt to distance more slowly than your fitness does.',
      suggestions: [
        'Cut the next 7 days by 20–30 % (about 29–33 km instead of the 41 km of the last 7 days).',
        'Keep the runs easy and flat, and skip the long run this week.',
        'Build your longest run back up by about 10 % at a time, from 17 km.',
      ],
      disclaimer: DISCLAIMER,
    },
  },
  {
    rule: 'weekly-increase',
    severity: 'caution',
    facts: { acuteM: 52_000, baselineWeeklyM: 38_000, ratio: 1.368, windowStart: '2025-03-03', windowEnd: '2025-03-09' },
    message: {
      headline: 'You ran 52 km in the last 7 days, 37 % more than your average week of 38 km over the 4 weeks before.',
      explanation:
        'Runners who raised their weekly distance by more than 30 % had more overuse injuries, ITBS among them (Nielsen et al., 2014).',
      suggestions: [
        'Cut the next 7 days by 20–30 % (about 36–42 km instead of the 52 km of the last 7 days).',
        'Keep the runs easy and flat, and skip the long run this week.',
      ],
      disclaimer: DISCLAIMER,
    },
  },
  {
    rule: 'pain-earlier',
    severity: 'warning',
    facts: {
      location: 'lateral_knee',
      reports: [
        { runId: 'a', date: '2025-03-04', onsetM: 6000, onsetS: null },
        { runId: 'b', date: '2025-03-06', onsetM: 5000, onsetS: null },
        { runId: 'c', date: '2025-03-08', onsetM: 4000, onsetS: null },
      ],
      earlierByFraction: 0.167,
      comparedBy: 'distance',
      painfulRunsInRow: 2,
      earlyOnset: false,
    },
    message: {
      headline: 'Your outer-knee pain is starting earlier: at 4 km on Saturday after 5 km the time before (20 % sooner).',
      explanation:
        'Pain that comes on at a set point of the run and arrives earlier each time is the typical course of an overuse injury such as IT band syndrome; caught early, it usually settles with less load.',
      suggestions: [
        'Stop your run at the point the pain starts; walking home is fine.',
        'Run less and keep it easy and flat until a run is pain-free.',
        'Do some hip and glute work on easy days: bridges with a band, side-lying leg raises, lateral band walks and side planks.',
        'Release the hip and the muscle at the front of the hip (TFL) rather than rolling an acutely painful IT band.',
        'If the pain lasts around two weeks, see a physiotherapist or sports doctor.',
      ],
      disclaimer: DISCLAIMER,
    },
  },
  {
    rule: 'worn-shoes',
    severity: 'warning',
    facts: {
      shoeId: 's1',
      shoeName: 'Pegasus 40',
      distanceM: 812_000,
      distanceIsLowerBound: false,
      thresholdM: 800_000,
      retireAtM: 800_000,
    },
    message: {
      headline: 'Your Pegasus 40 have covered 812 km: time to retire them.',
      explanation: 'Running shoes are usually reckoned to last 480–800 km.',
      suggestions: ['Retire them, or keep them for walking.'],
      disclaimer: DISCLAIMER,
    },
  },
  {
    rule: 'cadence-drop',
    severity: 'caution',
    facts: { recentCadenceSpm: 158.3, baselineCadenceSpm: 168.1, dropFraction: 0.058 },
    message: {
      headline: 'Your step rate over your last 3 runs was 6 % lower than usual at the same pace (158 against 168 steps a minute).',
      explanation: 'Longer, slower strides load the knee and hip more.',
      suggestions: ['Try a slightly quicker, shorter step on easy runs.'],
      disclaimer: DISCLAIMER,
    },
  },
  {
    rule: 'downhill-spike',
    severity: 'caution',
    facts: { acuteLossM: 940, baselineWeeklyLossM: 410, ratio: 2.293, windowStart: '2025-03-03', windowEnd: '2025-03-09' },
    message: {
      headline: 'You ran 940 m downhill in the last 7 days, 2.3 times your usual week (410 m).',
      explanation: 'Running downhill keeps the knee bent at the angle where the IT band rubs.',
      suggestions: ['Keep this week flat.'],
      disclaimer: DISCLAIMER,
    },
  },
  {
    rule: 'monotony',
    severity: 'info',
    facts: { monotony: 2.4, weeklyM: 61_000, medianWeeklyM: 48_000 },
    message: {
      headline:
        'Your last 7 days were very much alike (7 running days, monotony 2.4) at a higher load than usual: 61 km against a typical 48 km.',
      explanation: 'Training that is both heavy and the same every day leaves little room to recover.',
      suggestions: ['Make one day a rest day.'],
      disclaimer: DISCLAIMER,
    },
  },
];

describe('email templates, rendered and looked at', () => {
  let stack: Stack;
  let app: INestApplicationContext;
  let db: DataSource;
  let runner: UserEntity;
  const written: Record<string, string> = {};

  function write(name: string, email: { subject: string; html?: string; text: string }) {
    writeFileSync(join(EMAILS_DIR, `${name}.html`), email.html!);
    writeFileSync(join(EMAILS_DIR, `${name}.txt`), `Subject: ${email.subject}\n\n${email.text}`);
    written[name] = join(EMAILS_DIR, `${name}.html`);
  }

  beforeAll(async () => {
    mkdirSync(EMAILS_DIR, { recursive: true });
    stack = await startStack({ worker: true, redisPrefix: 'email-templates', env: { PUBLIC_URL: 'https://deload.example' } });
    ({ worker: app, db } = stack);
    const users = db.getRepository(UserEntity);
    runner = await users.save(
      users.create({ email: uniqueEmail(), displayName: 'Ada', units: 'km', timezone: 'Europe/Oslo', painCheckin: 'on' }),
    );
  });

  afterAll(() => stack?.stop());

  it('renders an alert email for every rule, HTML and text, with the numbers and the disclaimer', () => {
    for (const alert of ALERTS) {
      const email = app.get(AlertNotifier).compose(Object.assign(new AlertEntity(), alert, { id: 'a', userId: runner.id }), runner);
      write(`alert-${alert.rule}`, email);
      expect(email.subject.length).toBeLessThan(100);
      expect(email.text).toContain(String((alert.message as { headline: string }).headline));
      expect(email.text).toContain('not medical advice');
      expect(email.text).toContain('Unsubscribe: https://deload.example/email/unsubscribe?t=');
      expect(email.html).toContain('https://deload.example/me');
      expect(email.html).not.toMatch(/undefined|NaN|\[object Object\]/);
      expect(email.text).not.toMatch(/undefined|NaN|\[object Object\]|&amp;|&#39;/);
    }
    expect(Object.keys(written)).toHaveLength(7);
  });

  it('renders one email for a week of several signs: the strongest leads, the others "also this week" with their numbers', () => {
    const [spike, weekly] = ALERTS.map((alert, index) => Object.assign(new AlertEntity(), alert, { id: `a${index}`, userId: runner.id }));
    const downhill = Object.assign(
      new AlertEntity(),
      ALERTS.find((alert) => alert.rule === 'downhill-spike')!,
      { id: 'd', userId: runner.id },
    );
    const email = app.get(AlertNotifier).compose(spike, runner, [weekly, downhill]);
    write('alert-merged', email);
    expect(email.subject).toBe('Your long run was 45 % longer than anything in the last 30 days');
    expect(email.text).toContain(
      'Also this week\n- Caution: You ran 37 % more this week than usual (52 km against 38 km)\n' +
        '  Last 7 days: 52 km · Your average week, the 4 weeks before: 38 km · Change: +37 %\n' +
        '- Caution: 940 m of downhill this week, 2.3 times your usual\n' +
        '  Descent, last 7 days: 940 m · Your usual week: 410 m\n' +
        '  Keep this week flat.\n',
    );
    // The lead already says to cut the next 7 days: the weekly increase does not say it again with other numbers.
    expect(email.text.match(/Cut the next 7 days/g)).toHaveLength(1);
    expect(email.text).toContain('not medical advice');
    expect(email.text).toContain('In your email preferences you can choose only the strongest warnings, or the weekly summary only.');
    expect(email.html).toContain('Also this week');
  });

  it('renders the check-in, the weekly summary and the coach digest', async () => {
    const [run] = await db.query(
      `INSERT INTO runs (user_id, source, external_id, sport, is_run, start_utc, utc_offset_s, distance_m)
       VALUES ($1, 'fit', gen_random_uuid()::text, 'run', true, now() - interval '1 hour', 3600, 10200) RETURNING id`,
      [runner.id],
    );
    const decision = await app.get(PainCheckins).decide(run.id);
    if (!decision.ask) throw new Error(decision.reason);
    const checkin = app.get(PainCheckinMailer).compose(decision);
    write('pain-checkin', checkin);
    expect(checkin.text).toContain('Pain started between 4 and 6 km:');

    const week = weekBounds('2025-W10');
    for (const alert of ALERTS.filter((entry) => ['weekly-increase', 'downhill-spike'].includes(entry.rule)))
      await db.getRepository(AlertEntity).save({
        ...alert,
        userId: runner.id,
        dedupeKey: alert.rule,
        state: 'open' as const,
        firstSeenAt: new Date('2025-03-07T18:00:00Z'),
        lastSeenAt: new Date('2025-03-09T18:00:00Z'),
      });
    const summary = await app.get(WeeklySummaryService).compose(runner, week, {
      runs: 5,
      distanceM: 52_300,
      longestM: 24_000,
      movingS: 5 * 3600 + 12 * 60,
      previousAverageM: 38_000,
      previousRuns: 16,
    });
    write('weekly-summary', summary);
    expect(summary.subject).toBe('Your week: 52 km in 5 runs, 2 signs to watch');
    expect(summary.text).toContain('Against your 4-week average (38 km): +38 %');
    expect(summary.text).toContain('Watch this week\n- Caution: You ran 37 % more this week than usual (52 km against 38 km)\n');

    const digest = app.get(CoachDigestService).compose(runner, week, [
      {
        name: 'Tuesday Trail Club',
        runners: [
          {
            name: 'Ada',
            href: 'https://deload.example/runners/1',
            distance: '52 km',
            notes: ['warning: pain starting earlier', '+38 % on usual'],
            concern: 30,
            includesStrava: false,
          },
          { name: 'Grace', href: 'https://deload.example/runners/2', distance: '31 km', notes: [], concern: 0, includesStrava: false },
        ],
      },
    ]);
    write('coach-digest', digest);
    expect(digest.text).toContain('- Ada: 52 km (warning: pain starting earlier; +38 % on usual)');
  });

  it.each(['alert-pain-earlier', 'alert-merged', 'pain-checkin', 'weekly-summary'])('reads well on a phone: %s', async (name) => {
    const page = await (await stack.browser()).newPage({ viewport: VIEWPORTS.phone });
    const errors = recordPageErrors(page);
    await page.goto(pathToFileURL(written[name]).href);
    const layout = await page.locator('html').evaluate((root) => {
      const view = root.ownerDocument.defaultView!;
      return {
        overflow: root.scrollWidth - view.innerWidth,
        fontSize: parseFloat(view.getComputedStyle(root.querySelector('p')!).fontSize),
        heading: root.querySelector('h1')!.getBoundingClientRect().width,
      };
    });
    await screenshot(page, `email-${name}-phone`);
    await page.close();
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.fontSize).toBeGreaterThanOrEqual(14);
    expect(layout.heading).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    expect(errors).toEqual([]);
  });
});
