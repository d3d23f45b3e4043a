import { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser } from 'playwright-core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { launchChromium, recordPageErrors, screenshot, VIEWPORTS } from '../support/browser';
import { testEnv } from '../support/test-env';

describe('pages in a real browser', () => {
  let app: NestExpressApplication;
  let browser: Browser;

  beforeAll(async () => {
    app = await createApiApp(testEnv());
    await app.listen(0, '127.0.0.1');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

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
