import { mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEMO_COACH } from '../../libs/demo/src';
import { recordPageErrors, screenshot, TEST_OUTPUT_DIR, VIEWPORTS } from '../support/browser';
import { ROOT, startCompiled } from '../support/processes';
import { Stack, startStack } from '../support/stack';

const PUBLIC_URL = 'http://deload.test';
const FLAGGED = {
  'lea@demo.deload.test': /^Your long run was \d+ % longer than anything in the last 30 days$/,
  'ola@demo.deload.test': /^Outer-knee pain on 3 runs in a row: time to ease off$/,
  'mia@demo.deload.test': /^Your Pegasus 40 have covered \d+ km$/,
};

/** The README's screenshots come from the demo; refreshed when missing or with UPDATE_SCREENSHOTS=1. */
function updateReadmeScreenshot(path: string, name: string): void {
  const target = join(ROOT, 'docs', 'screenshots', name);
  if (existsSync(target) && !process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(path, target);
}

/** The demo imports twelve weeks for four runners and waits for the worker: on a loaded 2-core machine that took 75 s. */
const DEMO_TIMEOUT_MS = 180_000;

async function runDemo(env: Record<string, string>): Promise<string> {
  const { code, stdout, stderr } = await startCompiled('dist/apps/cli/src/main.js', ['demo'], env).finished;
  if (code !== 0) throw new Error(`deload demo exited ${code}:\n${stdout}\n${stderr}`);
  return stdout;
}

describe('deload demo, end to end', () => {
  let stack: Stack;
  let firstOutput: string;

  beforeAll(async () => {
    stack = await startStack({ outbox: true, api: true, redisPrefix: 'demo', env: { PUBLIC_URL } });
    firstOutput = await runDemo(stack.env);
  }, DEMO_TIMEOUT_MS);

  afterAll(() => stack?.stop());

  it('reports four runners, three of them flagged, and three alert emails', () => {
    expect(firstOutput).toMatch(/Sam Steady: no warning signs/);
    expect(firstOutput).toMatch(/Lea Longrun: single-run-spike \(caution\)/);
    expect(firstOutput).toMatch(/Ola Knee: pain-earlier \(high\)/);
    expect(firstOutput).toMatch(/Mia Miles: worn-shoes \(warning\)/);
    expect(firstOutput).toMatch(/^3 alert emails are in the outbox/m);
    expect(firstOutput).toMatch(/^Dashboard: {2}http:\/\/deload\.test\/teams\/[0-9a-f-]{36}$/m);
  });

  it('fills the outbox with exactly the flagged runners’ alert emails', async () => {
    const entries = await stack.outbox.list();
    expect(entries.map((entry) => entry.to).sort()).toEqual(Object.keys(FLAGGED).sort());
    for (const entry of entries) expect(entry.subject).toMatch(FLAGGED[entry.to as keyof typeof FLAGGED]);
  });

  it('shows the coach exactly the three flagged runners under "needs attention", after signing in with the printed link', async () => {
    const loginUrl = firstOutput.match(/^ {2}(http:\/\/deload\.test\/login\/verify\?token=\S+)$/m)![1];
    const page = await (await stack.browser()).newPage({ viewport: VIEWPORTS.desktop });
    const errors = recordPageErrors(page);
    await page.goto(loginUrl.replace(PUBLIC_URL, stack.url));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/teams\/[0-9a-f-]{36}/);
    await page.locator('body[data-charts-ready]').waitFor({ state: 'attached' });
    const teamPath = new URL(page.url()).pathname;

    const attention = await page.request.get(`${stack.url}/api${teamPath}?filter=attention`);
    expect(attention.status()).toBe(200);
    const flagged = (await attention.json()) as { rows: { runner: { email: string } }[]; totalRunners: number };
    expect(flagged.totalRunners).toBe(4);
    expect(flagged.rows.map((row) => row.runner.email).sort()).toEqual(Object.keys(FLAGGED).sort());
    expect(await page.locator('tbody tr').count()).toBe(4);
    expect(await page.getByText(DEMO_COACH.team).count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Outbox' }).count()).toBe(1);

    updateReadmeScreenshot(await screenshot(page, 'demo-coach-dashboard-desktop'), 'coach-dashboard.png');
    expect(errors).toEqual([]);
  });

  it('renders an alert email readably at phone width', async () => {
    const [entry] = (await stack.outbox.list()).filter((candidate) => candidate.to === 'lea@demo.deload.test');
    const html = (await stack.outbox.read(entry.file)).html as string;
    const file = join(TEST_OUTPUT_DIR, 'emails', 'demo-alert.html');
    mkdirSync(dirname(file), { recursive: true });
    await writeFile(file, html);
    const page = await (await stack.browser()).newPage({ viewport: VIEWPORTS.phone });
    await page.goto(`file://${file}`);
    expect(await page.locator('h1').textContent()).toMatch(
      /^Your 23 km run on \w+ was \d+ % longer than anything in the 30 days before it/,
    );
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    updateReadmeScreenshot(await screenshot(page, 'demo-alert-email-phone'), 'alert-email.png');
  });

  it(
    'adds nothing when run a second time',
    async () => {
      const db = stack.api.get(DataSource);
      const countRows = () =>
        db.query(
          `SELECT (SELECT count(*) FROM users WHERE email LIKE '%@demo.deload.test')::int AS users,
                (SELECT count(*) FROM runs r JOIN users u ON u.id = r.user_id WHERE u.email LIKE '%@demo.deload.test')::int AS runs,
                (SELECT count(*) FROM alerts a JOIN users u ON u.id = a.user_id WHERE u.email LIKE '%@demo.deload.test')::int AS alerts,
                (SELECT count(*) FROM teams t JOIN users u ON u.id = t.coach_id WHERE u.email = $1)::int AS teams`,
          [DEMO_COACH.email],
        );
      const before = await countRows();
      const second = await runDemo(stack.env);
      expect(second).toMatch(/Sam Steady <sam@demo\.deload\.test> \(steady\): 0 runs imported, \d+ already there/);
      expect(await countRows()).toEqual(before);
      expect(before[0]).toMatchObject({ users: 5, teams: 1, alerts: 3 });
      expect((await readdir(stack.outbox.dir)).filter((name) => name.endsWith('.eml'))).toHaveLength(3);
    },
    DEMO_TIMEOUT_MS,
  );
});
