import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { recordPageErrors, screenshot, VIEWPORTS } from '../support/browser';
import { tempDir, writeZip } from '../support/archives';
import { buildFitRun } from '../support/fit-files';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

const DAY_MS = 86_400_000;
const daysAgo = (days: number, serialNumber: number, km: number) =>
  buildFitRun({ start: new Date(Date.now() - days * DAY_MS), distanceM: km * 1000, durationS: km * 330, recordEveryS: 30, serialNumber });

/** A FIT run, and a zip of two more runs and a file that is no FIT file: two files, each with its own result. */
async function twoFiles(serial: number): Promise<{ single: string; archive: string }> {
  const dir = tempDir('deload-upload-browser');
  const single = join(dir, 'tempo-run.fit');
  writeFileSync(single, daysAgo(3, serial, 8));
  const archive = await writeZip(dir, 'watch-history.zip', {
    'runs/easy-1.fit': daysAgo(10, serial + 1, 6),
    'runs/easy-2.fit': daysAgo(12, serial + 2, 7),
    'runs/notes.fit': 'not a FIT file at all, just some notes',
  });
  return { single, archive };
}

/** What the test reads inside the page (jest type-checks without the DOM library). */
interface FormDataGlobals {
  FormData: { prototype: { append(name: string, ...rest: unknown[]): void } };
  appendedFields?: string[];
}

/** Records the name of every field the page appends to a FormData, in order (request bodies with files are not visible to Playwright). */
function recordFormFields(): void {
  const page = globalThis as unknown as FormDataGlobals;
  const append = page.FormData.prototype.append;
  page.FormData.prototype.append = function (name: string, ...rest: unknown[]) {
    (page.appendedFields ??= []).push(name);
    return append.call(this, name, ...rest);
  };
}

describe('the upload form in a real browser (upload → 202 → the worker imports → the page follows the import)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ api: true, worker: true });
    browser = await stack.browser();
  });

  afterAll(() => stack?.stop());

  it.each([
    ['desktop', 1000],
    ['phone', 2000],
  ] as const)('sends each file on its own with its progress and shows what became of each (%s)', async (viewport, serial) => {
    const runner = await signIn(stack.api);
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
    const [name, value] = runner.cookie.split('=');
    await context.addCookies([{ name, value, url: stack.url }]);
    await context.addInitScript(recordFormFields);
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    const uploads: Request[] = [];
    const polled = new Set<string>();
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/runs/files')) uploads.push(request);
      if (request.method() === 'GET' && request.url().includes('/api/imports/')) polled.add(new URL(request.url()).pathname);
    });
    await page.goto(`${stack.url}/me`);
    const form = page.locator('#upload-form');
    const { single, archive } = await twoFiles(serial);

    await form.getByLabel('Distances in a Garmin Connect CSV').selectOption('km');
    await form.getByLabel(/Add runs from files/).setInputFiles([single, archive]);
    await form.getByRole('button', { name: 'Import' }).click();
    const summary = page.getByRole('status').filter({ hasText: '3 imported, 0 already known, 1 rejected.' });
    await summary.waitFor();

    const rows = form.getByRole('list', { name: 'Files you are importing' }).getByRole('listitem');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(0).innerText()).resolves.toMatch(/tempo-run\.fit\s+\d+ KB[\s\S]*Imported: 1 run added/);
    await expect(rows.nth(1).innerText()).resolves.toMatch(
      /watch-history\.zip\s+\d+ KB[\s\S]*3 activities: 2 imported, 0 already known, 1 rejected/,
    );
    for (const file of ['tempo-run.fit', 'watch-history.zip']) {
      await expect(form.getByRole('progressbar', { name: `Upload of ${file}` }).getAttribute('value')).resolves.toBe('100');
    }
    await rows.nth(1).getByText('1 note').click();
    await rows
      .nth(1)
      .getByText(/watch-history\.zip\/runs\/notes\.fit: rejected, /)
      .waitFor();
    const overflow = await page.locator('html').evaluate((root) => root.scrollWidth - root.ownerDocument.defaultView!.innerWidth);
    await form.screenshot({ path: (await screenshot(page, `upload-results-${viewport}`)).replace(/\.png$/, '-form.png') });

    expect(uploads).toHaveLength(2);
    // Each upload is answered at once (202) and its import followed until the worker finished it.
    expect(polled.size).toBe(2);
    const fields = await page.evaluate(() => (globalThis as unknown as FormDataGlobals).appendedFields);
    expect(fields).toEqual(['units', 'files', 'units', 'files']);
    // Something was imported: the runner may reload to see the new runs, and the results stay.
    await form.getByRole('button', { name: 'Show the new runs' }).click();
    await page.locator('td.filename', { hasText: 'watch-history.zip' }).first().waitFor();
    await summary.waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await screenshot(page, `upload-after-reload-${viewport}`);
    await context.close();
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });

  it('shows the bytes sent while a large file goes up on a slow connection', async () => {
    const runner = await signIn(stack.api);
    const context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const [name, value] = runner.cookie.split('=');
    await context.addCookies([{ name, value, url: stack.url }]);
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    await page.goto(`${stack.url}/me`);
    const path = join(tempDir('deload-upload-slow'), 'marathon.fit');
    writeFileSync(
      path,
      buildFitRun({
        start: new Date(Date.now() - 5 * DAY_MS),
        distanceM: 42_195,
        durationS: 4 * 3600,
        recordEveryS: 1,
        serialNumber: 3000,
      }),
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 100 * 1024,
    });

    const form = page.locator('#upload-form');
    await form.getByLabel(/Add runs from files/).setInputFiles(path);
    await form.getByRole('button', { name: 'Import' }).click();
    await form.getByText(/^Uploading: \d+ KB of \d+ KB$/).waitFor();
    const sent = Number(await form.getByRole('progressbar', { name: 'Upload of marathon.fit' }).getAttribute('value'));
    await screenshot(page, 'upload-in-progress-phone');
    expect(sent).toBeGreaterThanOrEqual(0);
    expect(sent).toBeLessThan(100);
    await page.getByRole('status').filter({ hasText: '1 imported, 0 already known, 0 rejected.' }).waitFor();
    await expect(form.getByRole('listitem').innerText()).resolves.toMatch(/Imported: 1 run added/);
    await context.close();
    expect(errors).toEqual([]);
  });
});
