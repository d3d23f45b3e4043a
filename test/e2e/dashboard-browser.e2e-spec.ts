import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { UsersService } from '../../libs/users/src';
import { FileImportService } from '../../libs/ingest/src';
import { AlertEntity } from '../../libs/persistence/src';
import { TeamsService } from '../../libs/teams/src';
import { tempDir } from '../support/archives';
import { recordPageErrors, screenshot, TEST_OUTPUT_DIR, VIEWPORTS } from '../support/browser';
import { buildFitRun } from '../support/fit-files';
import { signIn, uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';
import { waitFor } from '../support/wait';

/** Links in emails and on pages carry PUBLIC_URL; the test server listens elsewhere (port 0). */
const PUBLIC_URL = 'http://deload.test';
const DAY_MS = 86_400_000;
const daysAgoAt7 = (days: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS + 7 * 3600_000);
const CHART_IDS = ['chart-weekly', 'chart-ratios', 'chart-acwr', 'chart-pain', 'chart-shoes'];

/** What the test reads inside the page (jest type-checks without the DOM library). */
interface PageGlobals {
  document: { getElementById(id: string): { width: number; height: number } | null };
  Chart: { getChart(canvas: unknown): unknown };
}

describe('a coach’s morning in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ outbox: true, api: true, worker: true, env: { PUBLIC_URL } });
  });

  afterAll(() => stack?.stop());

  const local = (link: string) => link.replace(PUBLIC_URL, stack.url);

  async function signInByEmail(page: Page, email: string): Promise<void> {
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const [entry] = (await stack.outbox.list()).filter((mail) => mail.to === email);
    const link = (await stack.outbox.read(entry.file)).text!.match(/\S+\/login\/verify\?token=\S+/)![0];
    await page.goto(local(link));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Six weeks of easy running from the runner's watch, imported as FIT files through libs/ingest. */
  async function importBaseHistory(runnerId: string): Promise<void> {
    const dir = tempDir('deload-history');
    const paths: string[] = [];
    for (let daysAgo = 45; daysAgo >= 4; daysAgo -= 2) {
      const km = 7 + (daysAgo % 3);
      paths.push(join(dir, `easy-${daysAgo}.fit`));
      writeFileSync(
        paths.at(-1)!,
        buildFitRun({
          start: daysAgoAt7(daysAgo),
          distanceM: km * 1000,
          durationS: km * 330,
          recordEveryS: 30,
          serialNumber: 1000 + daysAgo,
        }),
      );
    }
    const results = await stack.worker.get(FileImportService).importPaths(runnerId, paths, 'cli');
    expect(results.map((result) => result.status)).toEqual(paths.map(() => 'imported'));
    await new TrainingData(stack.api).shoe(runnerId, { name: 'Pegasus 40', reportedKm: 560 });
  }

  /** A long run twice the longest of the month before, as a FIT file for the upload form. */
  function spikeFile(): string {
    const path = join(tempDir('deload-spike'), 'long-run.fit');
    writeFileSync(
      path,
      buildFitRun({ start: daysAgoAt7(1), distanceM: 21_000, durationS: 21 * 340, recordEveryS: 30, serialNumber: 4242 }),
    );
    return path;
  }

  /** Two more runners who joined the team and train steadily: the flagged one must still come first. */
  async function addSteadyTeammates(inviteCode: string): Promise<void> {
    const data = new TrainingData(stack.api);
    for (const name of ['Ben Lindqvist', 'Chloé Martin']) {
      const { user } = await signIn(stack.api);
      await stack.api.get(DataSource).query('UPDATE users SET display_name = $1 WHERE id = $2', [name, user.id]);
      await stack.api.get(TeamsService).answer(user, inviteCode, 'accept');
      const shoe = await data.shoe(user.id, { name: name.startsWith('B') ? 'Clifton 9' : 'Novablast 4', reportedKm: 120 });
      for (let daysAgo = 44; daysAgo >= 0; daysAgo -= 2) await data.run(user.id, { daysAgo, distanceKm: 8, shoeId: shoe.id });
    }
  }

  /**
   * Until the worker has evaluated the runner and the notifier has emailed the spike alert for its
   * latest request. notified_at is the notifier's last write (with the delivery row, after the
   * outbox file): the pages below show the alert and link its email. Fails when it never happens.
   */
  async function waitForAlertEmail(runnerId: string): Promise<void> {
    const alerts = stack.api.get(DataSource).getRepository(AlertEntity);
    await waitFor('the spike alert to be evaluated and emailed', async () =>
      (await alerts.findBy({ userId: runnerId, rule: 'single-run-spike' })).some(
        (alert) => alert.notifiedAt && alert.notifyRequestedAt && alert.notifiedAt >= alert.notifyRequestedAt,
      ),
    );
  }

  async function expectChartsDrawn(page: Page, ids: string[]): Promise<void> {
    await page.locator('body[data-charts-ready]').waitFor({ state: 'attached' });
    const drawn = await page.evaluate((chartIds) => {
      const { document, Chart } = globalThis as unknown as PageGlobals;
      return chartIds.map((id) => {
        const canvas = document.getElementById(id);
        return { id, drawn: !!canvas && !!Chart.getChart(canvas) && canvas.width > 0 && canvas.height > 0 };
      });
    }, ids);
    expect(drawn).toEqual(ids.map((id) => ({ id, drawn: true })));
  }

  it('signs in by email, builds a team, sees the runner flagged after a spike, and opens their charts', async () => {
    const coachEmail = uniqueEmail('coach');
    const runnerEmail = uniqueEmail('runner');
    const coachContext = await (await stack.browser()).newContext({ viewport: VIEWPORTS.desktop });
    const coach = await coachContext.newPage();
    const coachErrors = recordPageErrors(coach);

    await coach.goto(`${stack.url}/`);
    await signInByEmail(coach, coachEmail);
    await coach.waitForURL(`${stack.url}/me`);
    await coach.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
    await coach.getByLabel('Name of a new team').fill('Tuesday track group');
    await coach.getByRole('button', { name: 'Create team' }).click();
    await coach.getByRole('heading', { name: 'Tuesday track group', level: 1 }).waitFor();
    const inviteUrl = local(await coach.locator('#invite-url').inputValue());

    const runnerContext = await (await stack.browser()).newContext({ viewport: VIEWPORTS.phone });
    const runner = await runnerContext.newPage();
    const runnerErrors = recordPageErrors(runner);
    await runner.goto(inviteUrl);
    await runner.getByText('Here is exactly what they would see').waitFor();
    await screenshot(runner, 'invite-phone');
    await runner.getByRole('link', { name: 'Sign in to answer' }).click();
    await signInByEmail(runner, runnerEmail);
    await runner.waitForURL(inviteUrl);
    await runner.getByRole('button', { name: /Share my training with/ }).click();
    await runner.getByText('You share your training with').waitFor();
    await runner.getByRole('link', { name: 'Settings' }).click();
    await runner.getByLabel('Your name, as your coach or runners see it').fill('Ada Okafor');
    await runner.getByRole('button', { name: 'Save', exact: true }).click();
    await runner.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const runnerUser = (await stack.api.get(UsersService).byEmail(runnerEmail))!;
    await importBaseHistory(runnerUser.id);
    await runner.getByRole('link', { name: 'My training' }).click();
    await runner.getByLabel(/Add runs from files/).setInputFiles(spikeFile());
    await runner.getByRole('button', { name: 'Import' }).click();
    await runner.getByRole('status').filter({ hasText: '1 imported' }).waitFor();
    await runner.getByRole('button', { name: 'Show the new runs' }).click();
    await runner.locator('td.filename', { hasText: 'long-run.fit' }).waitFor();
    const painForm = runner.locator('#how-did-it-feel');
    await painForm.getByText(/How did your 21 km run on \w+ morning feel\?/).waitFor();
    await painForm.getByLabel('Yes, something hurt').check();
    await painForm.getByLabel('Where?').selectOption('lateral_knee');
    await painForm.getByLabel(/When did it start\?/).fill('14');
    await painForm.getByLabel(/How much did it hurt\?/).selectOption('4');
    await painForm.getByRole('button', { name: 'Save' }).click();
    await runner.getByText('Saved. Thank you').waitFor();
    await addSteadyTeammates(inviteUrl.split('/join/')[1]);
    await waitForAlertEmail(runnerUser.id);

    await coach.reload();
    const row = coach.locator(`tr[data-runner-id="${runnerUser.id}"]`);
    await expect(coach.locator('tbody tr').count()).resolves.toBe(3);
    await coach.locator('body[data-charts-ready]').waitFor({ state: 'attached' });
    await screenshot(coach, 'coach-dashboard-desktop');
    await expect(coach.locator('tbody tr').first().getAttribute('data-runner-id')).resolves.toBe(runnerUser.id);
    await expect(row.getAttribute('class')).resolves.toContain('needs-attention');
    await expect(row.locator('.badge').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('long-run spike')]),
    );
    await coach.getByRole('link', { name: 'Needs attention' }).click();
    await coach.waitForURL(/filter=attention/);
    await expect(row.count()).resolves.toBe(1);
    await expectChartsDrawn(coach, []);
    const sparklineDrawn = await row
      .locator('canvas.sparkline')
      .evaluate((canvas) => !!(globalThis as unknown as PageGlobals).Chart.getChart(canvas));
    expect(sparklineDrawn).toBe(true);
    await screenshot(coach, 'coach-dashboard-attention-desktop');
    await coach.setViewportSize(VIEWPORTS.phone);
    await screenshot(coach, 'coach-dashboard-phone');
    await coach.setViewportSize(VIEWPORTS.desktop);

    await row.getByRole('link', { name: 'Ada Okafor' }).click();
    await coach.waitForURL(`${stack.url}/runners/${runnerUser.id}`);
    await expectChartsDrawn(coach, CHART_IDS);
    await screenshot(coach, 'runner-page-desktop');
    await coach.setViewportSize(VIEWPORTS.phone);
    await coach.reload();
    await expectChartsDrawn(coach, CHART_IDS);
    await screenshot(coach, 'runner-page-phone');

    await runner.goto(`${stack.url}/me`);
    await expectChartsDrawn(runner, CHART_IDS);
    await screenshot(runner, 'my-training-phone');
    const alertsSection = runner.locator('section[aria-labelledby="alerts-heading"]');
    await alertsSection.screenshot({ path: join(TEST_OUTPUT_DIR, 'screenshots', 'alerts-phone.png') });
    await alertsSection.getByRole('link', { name: 'open the email' }).click();
    await runner
      .getByText(/times as long as anything in the last 30 days/)
      .first()
      .waitFor();
    await screenshot(runner, 'alert-email-phone');

    expect(coachErrors).toEqual([]);
    expect(runnerErrors).toEqual([]);
  }, 120_000);
});
