import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { FileImportService } from '../../libs/ingest/src';
import { TeamsService } from '../../libs/teams/src';
import { tempDir } from '../support/archives';
import { recordPageErrors, screenshot, VIEWPORTS } from '../support/browser';
import { buildFitRun } from '../support/fit-files';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

const DAY_MS = 86_400_000;
const daysAgoAt7 = (days: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS + 7 * 3600_000);

jest.setTimeout(180_000);

describe('the runs list and a run’s page in a real browser (issue 15)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ api: true, worker: true, outbox: true });
  });
  afterAll(() => stack?.stop());

  /** A runner with a few weeks of FIT runs (with splits), two shoes and a pain report, and their coach. */
  async function runnerWithHistory(): Promise<{ runner: SignedIn; coach: SignedIn }> {
    const runner = await signIn(stack.api);
    const coach = await signIn(stack.api, { role: 'coach' });
    const dir = tempDir('deload-runs-list');
    const paths: string[] = [];
    for (let daysAgo = 20; daysAgo >= 1; daysAgo -= 3) {
      paths.push(join(dir, `run-${daysAgo}.fit`));
      const km = 6 + (daysAgo % 4);
      writeFileSync(
        paths.at(-1)!,
        buildFitRun({
          start: daysAgoAt7(daysAgo),
          distanceM: km * 1000,
          durationS: km * 320,
          recordEveryS: 30,
          serialNumber: 7000 + daysAgo,
        }),
      );
    }
    const results = await stack.worker.get(FileImportService).importPaths(runner.user.id, paths, 'cli');
    expect(results.map((result) => result.status)).toEqual(paths.map(() => 'imported'));
    const data = new TrainingData(stack.api);
    await data.shoe(runner.user.id, { name: 'Pegasus 40 with a long name' });
    await data.shoe(runner.user.id, { name: 'Race flats' });
    const teams = stack.api.get(TeamsService);
    const team = await teams.create(coach.user, 'Browser team');
    await teams.answer(runner.user, team.inviteCode, 'accept');
    return { runner, coach };
  }

  async function open(who: SignedIn, viewport: keyof typeof VIEWPORTS): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await (await stack.browser()).newContext({ viewport: VIEWPORTS[viewport] });
    const [name, value] = who.cookie.split('=');
    await context.addCookies([{ name, value, url: stack.url }]);
    const page = await context.newPage();
    return { context, page, errors: recordPageErrors(page) };
  }

  const overflow = (page: Page) => page.locator('html').evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth);

  it.each(['desktop', 'phone'] as const)(
    'lets a runner list, re-shoe, exclude and delete runs (%s), fitting the screen',
    async (viewport) => {
      const { runner, coach } = await runnerWithHistory();
      const { context, page, errors } = await open(runner, viewport);
      const widths: Record<string, number> = {};

      await page.goto(`${stack.url}/me`);
      await page.getByRole('link', { name: 'All runs, one by one' }).click();
      await page.getByRole('heading', { name: 'Your runs' }).waitFor();
      const rows = page.locator('.runs-table tbody tr');
      expect(await rows.count()).toBe(7);
      widths.list = await overflow(page);
      // A phone shows each run as a card (no sideways scrolling inside the table either); a desktop the table.
      const rowDisplay = await rows.nth(0).evaluate((row) => row.ownerDocument.defaultView!.getComputedStyle(row).display);
      expect(rowDisplay).toBe(viewport === 'phone' ? 'grid' : 'table-row');
      await screenshot(page, `runs-list-${viewport}`);

      await page.getByRole('button', { name: 'Change shoe' }).click();
      await page.getByText('Tick the runs to put on the shoe first.').waitFor();
      await rows.nth(0).getByRole('checkbox').check();
      await rows.nth(1).getByRole('checkbox').check();
      await page.getByLabel('Put the ticked runs on').selectOption({ label: 'Race flats' });
      await page.getByRole('button', { name: 'Change shoe' }).click();
      await page.getByText('2 runs are on the new shoe now.').waitFor();
      expect(await page.locator('.runs-table tbody tr').nth(0).getByText('Race flats').count()).toBe(1);

      await page.getByLabel('Sport').selectOption('walk');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByText('No activities match these filters.').waitFor();
      await page.getByRole('link', { name: 'Clear' }).click();

      await page.locator('.runs-table tbody tr').nth(0).locator('th a').click();
      await page.getByRole('heading', { name: 'What the rules used' }).waitFor();
      await page.getByRole('heading', { name: /^Splits/ }).waitFor();
      widths.run = await overflow(page);
      await screenshot(page, `run-page-${viewport}`);

      await page.getByRole('button', { name: 'Mark as “not a run”' }).click();
      await page.getByText('it no longer counts in your running load').waitFor();
      await page.getByRole('button', { name: 'Count it as a run again' }).click();
      await page.getByText('It counts as a run again.').waitFor();

      await page.getByLabel('Yes, delete this run').check();
      await page.getByRole('button', { name: 'Delete run' }).click();
      await page.getByText('The run is deleted').waitFor();
      expect(await page.locator('.runs-table tbody tr').count()).toBe(6);
      await context.close();

      const coachView = await open(coach, viewport);
      await coachView.page.goto(`${stack.url}/runners/${runner.user.id}`);
      await coachView.page.getByRole('link', { name: 'All runs, one by one' }).click();
      await coachView.page.locator('.runs-table tbody tr').first().waitFor();
      expect(await coachView.page.getByRole('checkbox').count()).toBe(0);
      widths.coachList = await overflow(coachView.page);
      await coachView.page.locator('.runs-table tbody tr').first().locator('th a').click();
      await coachView.page.getByRole('heading', { name: 'Alerts it took part in' }).waitFor();
      expect(await coachView.page.getByRole('button', { name: 'Delete run' }).count()).toBe(0);
      widths.coachRun = await overflow(coachView.page);
      await screenshot(coachView.page, `run-page-coach-${viewport}`);
      await coachView.context.close();

      expect(widths).toEqual({
        list: expect.any(Number),
        run: expect.any(Number),
        coachList: expect.any(Number),
        coachRun: expect.any(Number),
      });
      expect(Object.values(widths).every((width) => width <= 0)).toBe(true);
      expect([...errors, ...coachView.errors]).toEqual([]);
    },
  );
});
