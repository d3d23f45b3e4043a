import { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { UsersService } from '../../libs/users/src';
import { EmailLinks } from '../../libs/notify/src';
import { recordPageErrors, screenshot, TEST_OUTPUT_DIR, VIEWPORTS } from '../support/browser';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

describe('pages in a real browser', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ api: true });
    app = stack.api;
    browser = await stack.browser();
  });

  afterAll(() => stack?.stop());

  it('renders the error page with the layout and stylesheet, without console errors', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.phone });
    const errors = recordPageErrors(page);
    const response = await page.goto(`${await app.getUrl()}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Sorry');
    const headerBackground = await page
      .locator('.site-header')
      .evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).backgroundColor);
    expect(headerBackground).toBe('rgb(255, 255, 255)');
    await screenshot(page, 'error-page-phone');
    expect(errors.filter((error) => !error.includes('404'))).toEqual([]);
  });
});

describe('the alert email setting in a real browser', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ api: true });
    app = stack.api;
    browser = await stack.browser();
  });

  afterAll(() => stack?.stop());

  it.each(['desktop', 'phone'] as const)('is chosen and saved on the settings page (%s), and fits the screen', async (viewport) => {
    const runner = await signIn(app);
    const url = await app.getUrl();
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
    const [name, value] = runner.cookie.split('=');
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    await page.goto(`${url}/settings`);
    const setting = page.getByRole('group', { name: 'Alert emails' });
    expect(await setting.getByRole('radio', { name: /As they happen/ }).isChecked()).toBe(true);
    await setting.getByRole('radio', { name: /Only the strongest warnings/ }).check();
    await page.locator('#preferences').getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/saved=preferences/);
    expect(
      await page
        .getByRole('group', { name: 'Alert emails' })
        .getByRole('radio', { name: /Only the strongest/ })
        .isChecked(),
    ).toBe(true);
    expect(await app.get(UsersService).byId(runner.user.id)).toMatchObject({ alertEmails: 'strongest' });
    const overflow = await page.locator('html').evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth);
    await page.locator('#preferences').screenshot({ path: join(TEST_OUTPUT_DIR, 'screenshots', `settings-alert-emails-${viewport}.png`) });
    await context.close();
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });

  it('is on the email preferences page every email links to, without signing in', async () => {
    const runner = await signIn(app);
    const page = await browser.newPage({ viewport: VIEWPORTS.phone });
    await page.goto(
      app
        .get(EmailLinks)
        .preferencesUrl(runner.user.id)
        .replace(/^https?:\/\/[^/]+/, await app.getUrl()),
    );
    await page.getByRole('radio', { name: /None: show them in my weekly summary only/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'email-preferences-phone');
    await page.close();
    expect(await app.get(UsersService).byId(runner.user.id)).toMatchObject({ alertEmails: 'none' });
  });
});
