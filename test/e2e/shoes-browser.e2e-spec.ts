import type { Page } from 'playwright-core';
import { recordPageErrors, screenshot, VIEWPORTS } from '../support/browser';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

/** How far the page is wider than the window, in CSS pixels (0 or less: no horizontal scroll). */
const overflowOf = (page: Page) => page.locator('html').evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth);

describe('the shoes page in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ api: true });
  });

  afterAll(() => stack?.stop());

  it.each(['desktop', 'phone'] as const)(
    'adds a pair, makes it the default for road runs, renames it and retires another (%s), and fits the screen',
    async (viewport) => {
      const runner = await signIn(stack.api);
      const data = new TrainingData(stack.api);
      const old = await data.shoe(runner.user.id, { name: 'Worn-out Pegasus with a rather long name', retireKm: 700 });
      await data.shoe(runner.user.id, { name: 'Trail pair', source: 'strava', reportedKm: 420 });
      for (const daysAgo of [1, 3, 5, 8, 10, 12, 15, 17, 19]) await data.run(runner.user.id, { daysAgo, distanceKm: 9, shoeId: old.id });

      const context = await (await stack.browser()).newContext({ viewport: VIEWPORTS[viewport] });
      const [name, value] = runner.cookie.split('=');
      await context.addCookies([{ name, value, url: stack.url }]);
      const page = await context.newPage();
      const errors = recordPageErrors(page);
      const overflow: Record<string, number> = {};

      await page.goto(`${stack.url}/me`);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shoes' }).click();
      await page.getByRole('heading', { name: 'Shoes', level: 1 }).waitFor();
      await page.getByText(/1 pair used on 9 runs/).waitFor();

      const add = page.locator('#add');
      await add.getByLabel('Name').fill('Novablast 4');
      await add.getByLabel(/Brand/).fill('Asics');
      await add.getByLabel(/Already on it/).fill('35');
      await add.getByLabel('Road running').check();
      await add.getByRole('button', { name: 'Add shoe' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await page.getByText('Default for road running').waitFor();
      overflow.added = await overflowOf(page);
      await screenshot(page, `shoes-${viewport}`);

      const pair = (shoeName: string) => page.locator('.shoe-list > li', { has: page.locator('.shoe-head strong', { hasText: shoeName }) });
      const novablast = pair('Novablast 4');
      await novablast.getByText('Edit').click();
      await novablast.getByLabel('Name').fill('Novablast 4 (blue)');
      await novablast.getByLabel(/Retire at/).fill('650');
      overflow.editing = await overflowOf(page);
      await screenshot(page, `shoes-editing-${viewport}`);
      await novablast.getByRole('button', { name: 'Save' }).click();
      await page.locator('.shoe-head strong', { hasText: 'Novablast 4 (blue)' }).waitFor();
      await page.getByText('35 km of 650 km').waitFor();

      const worn = pair('Worn-out Pegasus with a rather long name');
      await worn.getByRole('button', { name: 'Retire this pair' }).click();
      await page.getByRole('heading', { name: 'Retired' }).waitFor();
      overflow.retired = await overflowOf(page);
      await screenshot(page, `shoes-retired-${viewport}`);

      await page.goto(`${stack.url}/settings`);
      await page.getByRole('link', { name: 'your shoes page' }).waitFor();
      overflow.settings = await overflowOf(page);
      await context.close();

      expect(overflow).toEqual({
        added: expect.any(Number),
        editing: expect.any(Number),
        retired: expect.any(Number),
        settings: expect.any(Number),
      });
      expect(Object.entries(overflow).filter(([, pixels]) => pixels > 0)).toEqual([]);
      expect(errors).toEqual([]);
    },
    60_000,
  );
});
