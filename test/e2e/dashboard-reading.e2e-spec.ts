import { NestExpressApplication } from '@nestjs/platform-express';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CoachDigestService, isoWeekOf } from '../../libs/notify/src';
import { ImportFilesRepository } from '../../libs/persistence/src';
import { TeamsService } from '../../libs/teams/src';
import { UsersService } from '../../libs/users/src';
import { recordPageErrors, screenshot, VIEWPORTS } from '../support/browser';
import { postForm, signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

const DAY_MS = 86_400_000;

/** Issue 15, "reading the dashboard": the team view's legend, the coach's digest setting, imports paging, page copy, the outbox and /api/docs on a phone. */
describe('reading the dashboard', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ api: true, outbox: true });
    ({ api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  const get = (who: SignedIn, path: string, accept = 'application/json') => fetch(`${url}${path}`, { headers: { ...who.headers, accept } });
  const page = async (who: SignedIn, path: string) => (await get(who, path, 'text/html')).text();
  const form = (who: SignedIn, path: string, fields: Record<string, string>) => postForm(url, who, path, fields);

  /** A coach with a team that `runner` joined. */
  async function coachOf(runner: SignedIn): Promise<SignedIn> {
    const coach = await signIn(app, { role: 'coach' });
    const team = await app.get(TeamsService).create(coach.user, 'Morning group');
    await app.get(TeamsService).answer(runner.user, team.inviteCode, 'accept');
    return coach;
  }

  describe('the imports table', () => {
    let runner: SignedIn;

    beforeAll(async () => {
      runner = await signIn(app);
      const files = app.get(ImportFilesRepository);
      for (let index = 1; index <= 23; index++) {
        await files.record({
          userId: runner.user.id,
          filename: `watch-${String(index).padStart(2, '0')}.fit`,
          sha256: String(index).padStart(64, '0'),
          sizeBytes: 1000,
          status: 'imported',
          error: null,
          runsImported: 1,
          channel: 'upload',
        });
      }
    });

    type ImportsPageBody = { page: number; pageSize: number; hasNewer: boolean; hasOlder: boolean; imports: { filename: string }[] };
    const names = (body: ImportsPageBody) => body.imports.map((entry) => entry.filename);

    it('pages through every file on the JSON API, newest first, ten at a time', async () => {
      const first = (await (await get(runner, `/api/runners/${runner.user.id}/imports`)).json()) as ImportsPageBody;
      expect(first).toMatchObject({ page: 1, pageSize: 10, hasNewer: false, hasOlder: true });
      expect(names(first)).toEqual(Array.from({ length: 10 }, (_, index) => `watch-${23 - index}.fit`));
      const last = (await (await get(runner, `/api/runners/${runner.user.id}/imports?page=3`)).json()) as ImportsPageBody;
      expect(last).toMatchObject({ page: 3, hasNewer: true, hasOlder: false });
      expect(names(last)).toEqual(['watch-03.fit', 'watch-02.fit', 'watch-01.fit']);
      const beyond = (await (await get(runner, `/api/runners/${runner.user.id}/imports?page=9`)).json()) as ImportsPageBody;
      expect(beyond).toMatchObject({ page: 9, hasOlder: false, imports: [] });
    });

    it('refuses a page that is not a whole number from 1, and another runner', async () => {
      for (const bad of ['0', '-1', '1.5', 'two']) {
        const refused = await get(runner, `/api/runners/${runner.user.id}/imports?page=${bad}`);
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { message: string }).message).toBe('page: must be a page number: 1, 2, 3…');
      }
      expect((await get(runner, `/me?importsPage=0`, 'text/html')).status).toBe(400);
      const stranger = await signIn(app);
      expect((await get(stranger, `/api/runners/${runner.user.id}/imports`)).status).toBe(403);
    });

    it('shows the older files on the runner page with newer and older links, to the runner and their coach', async () => {
      const first = await page(runner, '/me');
      expect(first).toContain('watch-23.fit');
      expect(first).not.toContain('watch-13.fit');
      expect(first).toContain('href="?importsPage=2#imports-heading" rel="next">Older →');
      expect(first).not.toContain('rel="prev"');
      const second = await page(runner, '/me?importsPage=2');
      expect(second).toContain('watch-13.fit');
      expect(second).not.toContain('watch-23.fit');
      expect(second).toContain('href="?importsPage=1#imports-heading" rel="prev">← Newer');
      expect(second).toContain('href="?importsPage=3#imports-heading" rel="next">Older →');
      const coach = await coachOf(runner);
      const asCoach = await page(coach, `/runners/${runner.user.id}?importsPage=3`);
      expect(asCoach).toContain('watch-01.fit');
      expect(asCoach).not.toContain('rel="next"');
    });
  });

  describe('the coach digest setting', () => {
    it('is on a coach’s settings page, and the form turns it off and on again', async () => {
      const coach = await signIn(app, { role: 'coach' });
      expect(await page(coach, '/settings')).toContain('<input type="checkbox" name="emailCoachDigest" value="true" checked> Coach digest');
      const fields = { units: 'km', timezone: 'UTC', alertEmails: 'all', painCheckin: 'auto', emailWeeklySummary: 'true' };
      expect((await form(coach, '/settings', fields)).status).toBe(303);
      expect(await app.get(UsersService).byId(coach.user.id)).toMatchObject({ emailCoachDigest: false, emailWeeklySummary: true });
      expect(await page(coach, '/settings')).toContain('<input type="checkbox" name="emailCoachDigest" value="true" > Coach digest');
      expect((await form(coach, '/settings', { ...fields, emailCoachDigest: 'true' })).status).toBe(303);
      expect(await app.get(UsersService).byId(coach.user.id)).toMatchObject({ emailCoachDigest: true });
    });

    it('is not offered to a runner, whose form leaves it alone', async () => {
      const runner = await signIn(app);
      expect(await page(runner, '/settings')).not.toContain('emailCoachDigest');
      await form(runner, '/settings', { units: 'km', timezone: 'UTC', alertEmails: 'all', painCheckin: 'auto' });
      expect(await app.get(UsersService).byId(runner.user.id)).toMatchObject({ emailCoachDigest: true, emailWeeklySummary: false });
    });

    it('is in the JSON API, and the digest is not sent while it is off', async () => {
      const runner = await signIn(app);
      const coach = await coachOf(runner);
      expect(await (await get(coach, '/api/settings')).json()).toMatchObject({ emailCoachDigest: true });
      const patched = await fetch(`${url}/api/settings`, {
        method: 'PATCH',
        headers: { ...coach.headers, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ emailCoachDigest: false }),
      });
      expect(await patched.json()).toMatchObject({ emailCoachDigest: false });
      const week = isoWeekOf(new Date(Date.now() - 7 * DAY_MS).toISOString().slice(0, 10));
      expect(await app.get(CoachDigestService).send(coach.user.id, week)).toBe('skipped');
      expect((await stack.outbox.list()).filter((entry) => entry.to === coach.user.email)).toEqual([]);
    });
  });

  describe('page copy', () => {
    it('starts the empty runner page’s sentence with a capital, and asks only a non-coach to create a team', async () => {
      const runner = await signIn(app);
      const empty = await page(runner, '/me');
      expect(empty).toContain('Deload needs your runs to look out for you. Add files under');
      expect(empty).toContain('Coaching runners? Create a team');
      expect(await page(runner, '/teams')).toContain('>Create team</button>');

      const coach = await coachOf(await signIn(app));
      expect(await page(coach, '/me')).not.toContain('Coaching runners?');
      const teams = await page(coach, '/teams');
      expect(teams).toContain('Create another team</button>');
      expect(teams).toContain('Name of another team');
    });
  });

  describe('at desktop and phone width', () => {
    let coach: SignedIn;
    let teamPath: string;
    let digestFile: string;

    beforeAll(async () => {
      const data = new TrainingData(app);
      const runners: SignedIn[] = [];
      for (const name of ['Ada Lovelace', 'Grace Hopper']) {
        const runner = await signIn(app);
        await app.get(DataSource).query('UPDATE users SET display_name = $1 WHERE id = $2', [name, runner.user.id]);
        runners.push(runner);
      }
      coach = await signIn(app, { role: 'coach' });
      const team = await app.get(TeamsService).create(coach.user, 'Morning group');
      teamPath = `/teams/${team.id}`;
      for (const runner of runners) await app.get(TeamsService).answer(runner.user, team.inviteCode, 'accept');
      await data.steadyBase(runners[0].user.id, { days: 40, km: 6, endDaysAgo: 1 });
      await data.run(runners[0].user.id, { daysAgo: 0, distanceKm: 21 });
      await data.alert(runners[0].user.id, { rule: 'single-run-spike', severity: 'caution' });
      await data.alert(runners[0].user.id, { rule: 'weekly-increase', severity: 'warning' });
      await data.steadyBase(runners[1].user.id, { days: 40, km: 8 });
      expect(
        await app.get(CoachDigestService).send(coach.user.id, isoWeekOf(new Date(Date.now() - 7 * DAY_MS).toISOString().slice(0, 10))),
      ).toBe('sent');
      digestFile = (await stack.outbox.list()).find((entry) => entry.to === coach.user.email)!.file;
    });

    /** Opens a page as the coach at this width, lets `check` look, then: a screenshot, no horizontal scroll, no console error. */
    async function inBrowser(viewport: (typeof VIEWPORTS)[keyof typeof VIEWPORTS], shot: string, check: (page: Page) => Promise<void>) {
      const context = await (await stack.browser()).newContext({ viewport });
      const [name, value] = coach.cookie.split('=');
      await context.addCookies([{ name, value, url }]);
      const page = await context.newPage();
      const errors = recordPageErrors(page);
      try {
        await check(page);
        await screenshot(page, shot);
        expect(
          await page.locator('html').evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth),
        ).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }

    it.each(Object.entries(VIEWPORTS))('shows the team view with its legend, said once (%s)', (name, viewport) =>
      inBrowser(viewport, `team-legend-${name}`, async (page) => {
        await page.goto(`${url}${teamPath}`);
        await page.locator('body[data-charts-ready]').waitFor({ state: 'attached' });
        const legend = page.getByRole('region', { name: 'How to read this' });
        for (const word of ['Heads-up', 'Caution', 'Warning', 'High'])
          expect(await legend.getByText(word, { exact: true }).count()).toBe(1);
        expect(await page.getByText(/open alerts? at caution or above/).count()).toBe(1);
        // The alerts are the badges; the bullets under a name give only the other reasons.
        expect(await page.locator('.reasons li').filter({ hasText: 'a run ' }).count()).toBe(1);
        expect(await page.locator('.reasons li').filter({ hasText: 'open alert' }).count()).toBe(0);
        expect(await page.locator('.badge[title="One run much longer than usual (Caution)"]').count()).toBe(1);
      }),
    );

    it.each(Object.entries(VIEWPORTS))('shows the coach’s settings with the digest toggle (%s)', (name, viewport) =>
      inBrowser(viewport, `settings-coach-${name}`, async (page) => {
        await page.goto(`${url}/settings`);
        expect(await page.getByRole('checkbox', { name: /Coach digest/ }).isChecked()).toBe(true);
      }),
    );

    it.each(Object.entries(VIEWPORTS))('lists the outbox with every subject on screen (%s)', (name, viewport) =>
      inBrowser(viewport, `outbox-list-${name}`, async (page) => {
        await page.goto(`${url}/outbox`);
        const box = (await page.getByRole('link', { name: /^Your team, / }).boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      }),
    );

    it.each(Object.entries(VIEWPORTS))('previews an email in a frame as wide as the page and as tall as the email (%s)', (name, viewport) =>
      inBrowser(viewport, `outbox-preview-${name}`, async (page) => {
        await page.goto(`${url}/outbox/${encodeURIComponent(digestFile)}`);
        await page.waitForFunction(() => {
          const { document } = globalThis as unknown as { document: { querySelector(s: string): { style: { height: string } } | null } };
          const height = document.querySelector('iframe.email-preview')?.style.height;
          return !!height && height !== '0px';
        });
        const sizes = await page.locator('iframe.email-preview').evaluate((element) => {
          const iframe = element as unknown as {
            clientWidth: number;
            clientHeight: number;
            contentDocument: { documentElement: { scrollHeight: number; scrollWidth: number } };
          };
          const content = iframe.contentDocument.documentElement;
          return {
            width: iframe.clientWidth,
            height: iframe.clientHeight,
            contentHeight: content.scrollHeight,
            contentWidth: content.scrollWidth,
          };
        });
        expect(sizes.width).toBeLessThan(viewport.width);
        expect(sizes.contentWidth).toBeLessThanOrEqual(sizes.width);
        expect(Math.abs(sizes.height - sizes.contentHeight)).toBeLessThanOrEqual(2);
      }),
    );

    it.each(Object.entries(VIEWPORTS))('links /api/docs from every page, and the docs fit with an operation open (%s)', (name, viewport) =>
      inBrowser(viewport, `api-docs-${name}`, async (page) => {
        await page.goto(`${url}/settings`);
        await page.getByRole('contentinfo').getByRole('link', { name: 'API documentation' }).click();
        await page.waitForURL(`${url}/api/docs`);
        await page.locator('#swagger-ui .info').waitFor();
        expect(await page.getByRole('link', { name: '← Back to Deload' }).getAttribute('href')).toBe('/');
        await page.locator('.opblock-summary-control').filter({ hasText: '/api/runners/{runnerId}/imports' }).click();
        await page.getByRole('button', { name: 'Try it out' }).click();
      }),
    );
  });
});
