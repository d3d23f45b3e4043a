import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CSRF_FIELD } from '../../libs/auth/src';
import { TeamsService } from '../../libs/teams/src';
import { recordPageErrors, screenshot, TEST_OUTPUT_DIR, VIEWPORTS } from '../support/browser';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

/**
 * Acting on alerts: the JSON API's answers to bad input and what the coach is shown, and the runner
 * page and team view in Chromium at desktop and phone width. Who may act at all is the authorisation
 * matrix's (test/security/authorization-matrix.e2e-spec.ts: runner, other runner, coach with and
 * without consent, other team's coach); what it changes in the emails is alert-emails.e2e-spec.ts's.
 */
/** What the tests read of GET /api/runners/:id/overview. */
interface Overview {
  alerts: {
    id: string;
    response: string | null;
    actions: { action: string; note: string | null; actor: { name: string; isViewer: boolean } }[];
  }[];
  thisWeek: unknown;
}

describe('acknowledging and dismissing alerts', () => {
  let stack: Stack;
  let data: TrainingData;

  beforeAll(async () => {
    stack = await startStack({ outbox: true, api: true });
    data = new TrainingData(stack.api);
  });

  afterAll(() => stack?.stop());

  /** A runner with six weeks of running, a spike and a weekly increase open, and a coach whose team they joined. */
  async function runnerWithCoach(): Promise<{ runner: SignedIn; coach: SignedIn; teamId: string; spikeId: string; weeklyId: string }> {
    const [runner, coach] = await Promise.all([signIn(stack.api), signIn(stack.api, { role: 'coach' })]);
    const db = stack.api.get(DataSource);
    await db.query(`UPDATE users SET display_name = 'Ada Runner' WHERE id = $1`, [runner.user.id]);
    await db.query(`UPDATE users SET display_name = 'Coach Bo' WHERE id = $1`, [coach.user.id]);
    const team = await stack.api.get(TeamsService).create(coach.user, 'Track club');
    await stack.api.get(TeamsService).answer(runner.user, team.inviteCode, 'accept');
    for (let daysAgo = 42; daysAgo >= 1; daysAgo -= 2) await data.run(runner.user.id, { daysAgo, distanceKm: 8 });
    const weekly = await data.alert(runner.user.id, { rule: 'weekly-increase', severity: 'caution', daysAgo: 2 });
    const spike = await data.alert(runner.user.id, { rule: 'single-run-spike', severity: 'caution', daysAgo: 1, notified: true });
    return { runner, coach, teamId: team.id, spikeId: spike.id, weeklyId: weekly.id };
  }

  const api = (who: SignedIn, method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { ...who.headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('answers bad input with 400 and the reason, and changes nothing', async () => {
    const { runner, spikeId } = await runnerWithCoach();
    const cases: [unknown, RegExp][] = [
      [{}, /reason is required/],
      [{ reason: 'bored' }, /reason must be one of planned-race, seeing-physio, wrong-data, other/],
      [{ reason: 'other', note: 'x'.repeat(501) }, /note must be at most 500 characters/],
      [{ reason: 'other', colour: 'red' }, /unknown field colour/],
      [['planned-race'], /the body must be a JSON object/],
    ];
    for (const [body, reason] of cases) {
      const response = await api(runner, 'POST', `/api/alerts/${spikeId}/dismiss`, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, error: 'invalid', message: expect.stringMatching(reason) });
    }
    const acknowledge = await api(runner, 'POST', `/api/alerts/${spikeId}/acknowledge`, { note: 42 });
    expect(acknowledge.status).toBe(400);
    expect(((await acknowledge.json()) as { message: string }).message).toMatch(/note must be text/);
    expect((await api(runner, 'POST', '/api/alerts/not-an-id/acknowledge', {})).status).toBe(403);
    const form = await fetch(`${stack.url}/alerts/${spikeId}/dismiss`, {
      method: 'POST',
      headers: { cookie: runner.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ [CSRF_FIELD]: runner.csrfToken, reason: 'bored', note: '' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(400);
    const page = await form.text();
    expect(page).toContain('invalid dismissal: reason must be one of planned-race, seeing-physio, wrong-data, other');
    expect(page).toContain(`href="/me#alert-${spikeId}"`);
    const overview = (await (await api(runner, 'GET', `/api/runners/${runner.user.id}/overview`)).json()) as Overview;
    expect(overview.alerts.find((alert) => alert.id === spikeId)).toMatchObject({ response: null, actions: [] });
  });

  it('keeps who did what and when: the runner dismisses, the coach acknowledges, the runner withdraws; both see it all', async () => {
    const { runner, coach, spikeId, weeklyId } = await runnerWithCoach();
    const dismissed = await api(runner, 'POST', `/api/alerts/${weeklyId}/dismiss`, {
      reason: 'planned-race',
      note: '  Taper for Sunday  ',
    });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toMatchObject({
      alert: { id: weeklyId, runnerId: runner.user.id, response: 'dismissed' },
      actions: [
        {
          action: 'dismissed',
          reason: 'planned-race',
          note: 'Taper for Sunday',
          severity: 'caution',
          actor: { id: runner.user.id, name: 'Ada Runner' },
        },
      ],
    });
    expect((await api(coach, 'POST', `/api/alerts/${spikeId}/acknowledge`, { note: 'Talked it through' })).status).toBe(200);
    const withdrawn = await api(runner, 'DELETE', `/api/alerts/${weeklyId}/response`);
    expect(await withdrawn.json()).toMatchObject({
      alert: { response: null },
      actions: [{ action: 'dismissed' }, { action: 'withdrawn' }],
    });

    const overview = (await (await api(coach, 'GET', `/api/runners/${runner.user.id}/overview`)).json()) as Overview;
    const byId = (id: string) => overview.alerts.find((alert) => alert.id === id)!;
    expect(byId(spikeId)).toMatchObject({
      response: 'acknowledged',
      actions: [{ action: 'acknowledged', note: 'Talked it through', actor: { name: 'Coach Bo', isViewer: true } }],
    });
    expect(byId(weeklyId).actions.map((entry) => `${entry.action} by ${entry.actor.name}`)).toEqual([
      'dismissed by Ada Runner',
      'withdrawn by Ada Runner',
    ]);
    expect(overview.thisWeek).toMatchObject({ lead: { alertId: spikeId, response: 'acknowledged' }, others: [{ alertId: weeklyId }] });
  });

  async function pageAs(
    who: SignedIn,
    viewport: keyof typeof VIEWPORTS,
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await (await stack.browser()).newContext({ viewport: VIEWPORTS[viewport] });
    const [name, value] = who.cookie.split('=');
    await context.addCookies([{ name, value, url: stack.url }]);
    const page = await context.newPage();
    return { context, page, errors: recordPageErrors(page) };
  }

  const horizontalOverflow = (page: Page) =>
    page.locator('html').evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth);

  it.each(['desktop', 'phone'] as const)(
    'the runner page opens with this week’s suggestion and its actions; the coach sees who did what (%s)',
    async (viewport) => {
      const { runner, coach, teamId, spikeId, weeklyId } = await runnerWithCoach();
      const { context, page, errors } = await pageAs(runner, viewport);
      await page.goto(`${stack.url}/me`);
      const thisWeek = page.locator('#this-week');
      await thisWeek.getByRole('heading', { name: 'This week' }).waitFor();
      // Above the figures: the card comes before the summary tiles, and leads with the spike (as its email would).
      expect(
        await page.evaluate(`document.querySelector('#this-week').compareDocumentPosition(document.querySelector('.tiles')) & 4`),
      ).toBe(4);
      await expect(thisWeek.getByText('Cut the next 7 days by 20–30 %.').isVisible()).resolves.toBe(true);
      expect(await thisWeek.locator('.alert-head strong').textContent()).toContain('longer than usual');

      await thisWeek.getByRole('button', { name: 'Seen it' }).click();
      await page.waitForURL(new RegExp(`/me#alert-${spikeId}$`));
      await expect(page.locator(`#alert-${spikeId} .action-history`).textContent()).resolves.toMatch(/Acknowledged by you/);

      const weekly = page.locator(`#alert-${weeklyId}`);
      await weekly.getByText('Dismiss it, or add a note').click();
      await weekly.getByLabel('Why it does not apply').selectOption('planned-race');
      await weekly.getByLabel(/^Note/).fill('Half marathon on Sunday, planned');
      await weekly.getByRole('button', { name: 'Dismiss', exact: true }).click();
      await page.waitForURL(new RegExp(`/me#alert-${weeklyId}$`));
      await expect(page.locator(`#alert-${weeklyId} .action-history`).textContent()).resolves.toMatch(
        /Dismissed by you, .*: A planned race or hard block\s+Half marathon on Sunday, planned/,
      );
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      console.log(await screenshot(page, `alert-actions-runner-${viewport}`));
      await page
        .locator(`#alert-${weeklyId}`)
        .screenshot({ path: join(TEST_OUTPUT_DIR, 'screenshots', `alert-actions-dismissed-${viewport}.png`) });
      await page
        .locator('#this-week')
        .screenshot({ path: join(TEST_OUTPUT_DIR, 'screenshots', `alert-actions-this-week-${viewport}.png`) });
      await context.close();
      expect(errors).toEqual([]);

      const asCoach = await pageAs(coach, viewport);
      await asCoach.page.goto(`${stack.url}/runners/${runner.user.id}`);
      await expect(asCoach.page.locator(`#alert-${spikeId} .action-history`).textContent()).resolves.toMatch(
        /Acknowledged by Ada Runner, /,
      );
      await expect(asCoach.page.locator(`#alert-${weeklyId} .action-history`).textContent()).resolves.toMatch(
        /Dismissed by Ada Runner, .*: A planned race or hard block\s+Half marathon on Sunday, planned/,
      );
      expect(await horizontalOverflow(asCoach.page)).toBeLessThanOrEqual(0);
      console.log(await screenshot(asCoach.page, `alert-actions-coach-runner-page-${viewport}`));

      await asCoach.page.goto(`${stack.url}/teams/${teamId}`);
      const row = asCoach.page.locator(`tr[data-runner-id="${runner.user.id}"]`);
      await expect(row.locator('.badge.acknowledged').textContent()).resolves.toMatch(/acknowledged/);
      await expect(row.locator('.badge.dismissed').textContent()).resolves.toMatch(/dismissed/);
      expect(await horizontalOverflow(asCoach.page)).toBeLessThanOrEqual(0);
      console.log(await screenshot(asCoach.page, `alert-actions-team-${viewport}`));
      await asCoach.context.close();
      expect(asCoach.errors).toEqual([]);
    },
  );
});
