import type { Browser } from 'playwright-core';
import { simpleParser } from 'mailparser';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { confirmAddressEmail } from '../../libs/auth/src/email-address/email-address-emails';
import { Mailer } from '../../libs/mail/src';
import { AlertNotifier, CoachDigestService, PainCheckinMailer, weekBounds, WeeklySummaryService } from '../../libs/notify/src';
import { PainCheckins } from '../../libs/pain-reports/src';
import { AlertEntity } from '../../libs/persistence/src';
import { TeamsService } from '../../libs/teams/src';
import { gpxTrack } from '../support/archives';
import { signIn, uniqueEmail } from '../support/sessions';
import { TrainingData } from '../support/training-data';
import { send, servedRoutes } from './support/http';
import { Stack } from '../support/stack';
import { importFinished } from '../support/uploads';
import { buildSecurityWorld, SecurityWorld, startSecurityApp } from './support/security-world';

/** Markup that runs a script if it reaches a page unescaped (each sets window.__xss). */
const MARKUP = ['<script>window.__xss=1</script>', '"><img src=x onerror="window.__xss=1">', "'><svg/onload=window.__xss=1>"];
/** Text that breaks a naive SQL string, a file path, a header, or an href. */
const OTHER = ["' OR '1'='1' --", '../../../../etc/passwd', 'a\r\nSet-Cookie: pwned=1', 'javascript:window.__xss=1'];
const PAYLOADS = [...MARKUP, ...OTHER];

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Raw payload markup in an HTML answer: the payload was not escaped. */
function unescaped(html: string): string[] {
  return [...MARKUP.filter((payload) => html.includes(payload)), ...(/href=["']?javascript:/i.test(html) ? ['javascript: href'] : [])];
}

jest.setTimeout(240_000);

describe('injection: hostile text through every input, checked in every output', () => {
  let security: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // With the worker: an upload's file name reaches the runner's imports table once it is imported.
    security = await startSecurityApp({}, { worker: true });
    browser = await security.browser();
  });
  afterAll(async () => {
    await security?.stop();
  });

  /**
   * Puts `payload` into every text a user (or a file, or Strava) controls, through the real routes
   * where there is one: the runner's name, a team's name, a pain note, an uploaded file's name and
   * its activity's name, a shoe (as an import writes it), a run's description (as Strava sends it).
   */
  async function plant(world: SecurityWorld, payload: string) {
    const { runner, consentingCoach } = world.users;
    const accepted: Record<string, number> = {};
    const record = (input: string, status: number) => (accepted[input] = status);
    record(
      'displayName',
      (await send(security.url, runner, { method: 'PATCH', path: '/api/settings', json: { displayName: payload } })).status,
    );
    const team = await send(security.url, consentingCoach, { method: 'POST', path: '/api/teams', json: { name: payload } });
    record('team name', team.status);
    if (team.status === 201)
      await security.api.get(TeamsService).answer(runner.user, JSON.parse(team.body).inviteUrl.split('/join/')[1], 'accept');
    const note = await send(security.url, runner, {
      method: 'POST',
      path: `/api/runs/${world.runner.run.id}/pain`,
      json: { hasPain: true, location: 'knee', onsetM: 3000, note: payload },
    });
    record('pain note', note.status);
    const upload = new FormData();
    const gpx = gpxTrack(new Date(Date.now() - 2 * 86_400_000), 60).replace('<name>Lunch Run</name>', `<name>${xmlEscape(payload)}</name>`);
    upload.append('files', new Blob([gpx]), `${payload}.gpx`);
    const uploaded = await send(security.url, runner, { method: 'POST', path: '/api/runs/files', multipart: upload });
    record('upload', uploaded.status);
    if (uploaded.status === 202) await importFinished(security.url, JSON.parse(uploaded.body).url, runner.headers);
    await new TrainingData(security.api).shoe(runner.user.id, { name: payload, reportedKm: 900 });
    await security.api.get(DataSource).query(`UPDATE runs SET description = $2 WHERE id = $1`, [world.runner.run.id, payload]);
    const teamId = team.status === 201 ? (JSON.parse(team.body).id as string) : world.teams.consenting.id;
    return {
      accepted,
      teamId,
      code: team.status === 201 ? JSON.parse(team.body).inviteUrl.split('/join/')[1] : world.teams.consenting.inviteCode,
    };
  }

  /** Every page and API answer that shows what plant() stored, as the user who may see it. */
  function outputs(world: SecurityWorld, planted: { teamId: string; code: string }) {
    const { runner, consentingCoach } = world.users;
    const runnerId = runner.user.id;
    return [
      ...['/me', '/settings', '/settings/email', '/teams', '/outbox', `/runs/${world.runner.run.id}/pain`, `/join/${planted.code}`].map(
        (path) => ({ who: runner, path, page: true }),
      ),
      ...[`/teams/${planted.teamId}`, `/runners/${runnerId}`, '/teams'].map((path) => ({ who: consentingCoach, path, page: true })),
      ...[
        '/api/me',
        '/api/settings',
        '/api/shoes',
        '/api/teams',
        `/api/runners/${runnerId}/overview`,
        `/api/runs/${world.runner.run.id}/pain`,
      ].map((path) => ({
        who: runner,
        path,
        page: false,
      })),
      ...[`/api/teams/${planted.teamId}`, `/api/runners/${runnerId}/overview`].map((path) => ({ who: consentingCoach, path, page: false })),
    ];
  }

  it.each(PAYLOADS.map((payload) => [JSON.stringify(payload), payload]))(
    'stores %s as text and shows it escaped on every page',
    async (_, payload) => {
      const world = await buildSecurityWorld(security.api);
      const planted = await plant(world, payload);
      // Every input takes it (as the text it is) or refuses it with a 4xx; none fails with a 5xx.
      expect(Object.values(planted.accepted).filter((status) => status >= 500)).toEqual([]);
      expect(planted.accepted).toMatchObject({ displayName: 200, 'team name': 201, 'pain note': 200 });

      const problems: unknown[] = [];
      let shownSomewhere = false;
      for (const output of outputs(world, planted)) {
        const response = await send(security.url, output.who, { method: 'GET', path: output.path, page: output.page });
        if (response.status !== 200) problems.push({ path: output.path, status: response.status });
        if (response.headers.get('set-cookie')?.includes('pwned')) problems.push({ path: output.path, header: 'set-cookie' });
        if (output.page) {
          if (unescaped(response.body).length) problems.push({ path: output.path, unescaped: unescaped(response.body) });
        } else {
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          shownSomewhere ||= JSON.stringify(JSON.parse(response.body)).includes(JSON.stringify(payload).slice(1, -1));
        }
      }
      expect(problems).toEqual([]);
      expect(shownSomewhere).toBe(true); // stored verbatim, as data

      // In a browser with the CSP switched off, so that only escaping stands between the text and a script.
      if (MARKUP.includes(payload)) {
        const pages = outputs(world, planted).filter((candidate) => candidate.page);
        for (const who of [world.users.runner, world.users.consentingCoach]) {
          const context = await browser.newContext({ bypassCSP: true });
          await context.addCookies([{ name: 'deload_session', value: who.cookie.split('=')[1], url: security.url }]);
          const page = await context.newPage();
          let dialogs = 0;
          page.on('dialog', (opened) => {
            dialogs += 1;
            void opened.dismiss();
          });
          for (const output of pages.filter((candidate) => candidate.who === who)) {
            await page.goto(`${security.url}${output.path}`, { waitUntil: 'load' });
            const ran = await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss);
            expect({ path: output.path, ran, dialogs }).toEqual({ path: output.path, ran: undefined, dialogs: 0 });
          }
          await context.close();
        }
      }
    },
  );

  it.each(PAYLOADS.map((payload) => [JSON.stringify(payload), payload]))(
    'reflects %s only escaped: forms, query strings, unknown paths',
    async (_, payload) => {
      const runner = await signIn(security.api);
      const reflected = [
        await send(security.url, undefined, { method: 'POST', path: '/login', page: true, form: { email: payload, next: payload } }),
        await send(security.url, undefined, { method: 'GET', path: `/login?next=${encodeURIComponent(payload)}`, page: true }),
        await send(security.url, runner, { method: 'POST', path: '/settings/email', page: true, form: { email: payload } }),
        await send(security.url, runner, { method: 'POST', path: '/teams', page: true, form: { name: '' } }),
        await send(security.url, runner, { method: 'GET', path: `/settings?saved=${encodeURIComponent(payload)}`, page: true }),
        await send(security.url, runner, { method: 'GET', path: `/no-such-page/${encodeURIComponent(payload)}`, page: true }),
        await send(security.url, runner, { method: 'GET', path: `/teams/x?sort=${encodeURIComponent(payload)}`, page: true }),
        await send(security.url, undefined, { method: 'GET', path: `/join/${encodeURIComponent(payload)}`, page: true }),
        await send(security.url, undefined, { method: 'GET', path: `/email/unsubscribe?t=${encodeURIComponent(payload)}`, page: true }),
        await send(security.url, undefined, {
          method: 'GET',
          path: `/pain/checkin?t=${encodeURIComponent(payload)}&answer=${encodeURIComponent(payload)}`,
          page: true,
        }),
      ];
      for (const response of reflected) {
        expect(response.status).toBeLessThan(500);
        expect(unescaped(response.body)).toEqual([]);
        expect(response.headers.get('set-cookie') ?? '').not.toContain('pwned');
        expect(response.location ?? '').not.toMatch(/[\r\n]|^\/\/|^https?:/);
      }
      const signedInNext = await send(security.url, runner, {
        method: 'GET',
        path: `/login?next=${encodeURIComponent(payload)}`,
        page: true,
      });
      expect(signedInNext.location).toBe('/');
    },
  );

  it('answers hostile path parameters of every route with a 4xx, never a 5xx or someone’s data', async () => {
    const world = await buildSecurityWorld(security.api);
    const { runner } = world.users;
    const hostile = ["' OR '1'='1", '../../../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00', '1;DROP TABLE users', '<script>x</script>'];
    const routes = servedRoutes(security.api).filter((route) => /:\w+/.test(route));
    const answers: { route: string; value: string; status: number }[] = [];
    for (const route of routes) {
      const [method, pattern] = route.split(' ');
      for (const value of hostile) {
        const path = pattern.replace(/:\w+/g, encodeURIComponent(value));
        const body = method === 'GET' ? {} : { json: {} };
        const response = await send(security.url, runner, { method, path, page: false, ...body });
        answers.push({ route, value, status: response.status });
        expect(response.body).not.toContain(world.users.otherRunner.user.email);
        expect(response.body).not.toContain('root:x:0:0');
      }
    }
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((answer) => answer.status >= 500 || answer.status < 400)).toEqual([]);
  });

  it('keeps hostile text out of email markup and headers', async () => {
    const app = security.api;
    const runner = await signIn(app);
    const problems: unknown[] = [];
    for (const payload of PAYLOADS) {
      const user = Object.assign(runner.user, { displayName: payload });
      const alert = Object.assign(new AlertEntity(), {
        id: 'a',
        userId: user.id,
        rule: 'worn-shoes',
        severity: 'warning',
        facts: { shoeId: 's1', shoeName: payload, distanceM: 812_000, thresholdM: 800_000, retireAtM: 800_000 },
        message: {
          headline: `Your ${payload} have covered 812 km`,
          explanation: payload,
          suggestions: [payload],
          disclaimer: 'Not medical advice.',
        },
      });
      const [run] = await app.get(DataSource).query(
        `INSERT INTO runs (user_id, source, external_id, sport, is_run, start_utc, utc_offset_s, distance_m, name)
           VALUES ($1, 'fit', gen_random_uuid()::text, 'run', true, now() - interval '1 hour', 0, 8000, $2) RETURNING id`,
        [user.id, payload],
      );
      const decision = await app.get(PainCheckins).decide(run.id);
      const week = weekBounds('2025-W10');
      const emails = {
        alert: app.get(AlertNotifier).compose(alert, user),
        checkin: decision.ask ? app.get(PainCheckinMailer).compose(decision) : undefined,
        weekly: await app
          .get(WeeklySummaryService)
          .compose(user, week, { runs: 1, distanceM: 8000, longestM: 8000, movingS: 2400, previousAverageM: 8000, previousRuns: 4 }),
        digest: app.get(CoachDigestService).compose(user, week, [
          {
            name: payload,
            runners: [
              {
                name: payload,
                href: 'https://deload.example/runners/1',
                distance: '8 km',
                notes: [payload],
                concern: 1,
                includesStrava: false,
              },
            ],
          },
        ]),
        confirm: confirmAddressEmail(`https://deload.example/email/confirm?t=${encodeURIComponent(payload)}`, 24),
      };
      for (const [kind, email] of Object.entries(emails)) {
        if (!email) continue;
        if (unescaped(email.html ?? '').length) problems.push({ kind, payload, unescaped: unescaped(email.html ?? '') });
        const sent = await app.get(Mailer).send({ to: uniqueEmail('injected'), ...email });
        const parsed = await simpleParser(await readFile(sent.path!));
        if (parsed.headers.has('set-cookie') || parsed.headers.has('bcc'))
          problems.push({ kind, payload, headers: [...parsed.headers.keys()] });
        // nodemailer writes a subject on one line whatever it held (a shoe name from Strava may hold a line break).
        if (/[\r\n]/.test(parsed.subject ?? '')) problems.push({ kind, payload, subject: parsed.subject });
      }
    }
    expect(problems).toEqual([]);
  });
});
