import type { Browser, Page } from 'playwright-core';
import { MagicLinks, SessionsService, SingleUseTokens } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import { Mailer } from '../../libs/mail/src';
import { AlertNotifier, EmailLinks } from '../../libs/notify/src';
import { PainCheckins } from '../../libs/pain-reports/src';
import { TeamsService } from '../../libs/teams/src';
import { recordPageErrors, screenshot, VIEWPORTS } from '../support/browser';
import { uniqueEmail } from '../support/sessions';
import { TrainingData } from '../support/training-data';
import { Stack } from '../support/stack';
import { buildSecurityWorld, SecurityWorld, startSecurityApp, stravaOnlyAccount } from './support/security-world';

const CHARTS = ['chart-weekly', 'chart-ratios', 'chart-acwr', 'chart-pain', 'chart-shoes'];

interface PageGlobals {
  document: { querySelector(selector: string): unknown; getElementById(id: string): { width: number; height: number } | null };
  Chart: { getChart(canvas: unknown): unknown };
  __cspViolations: string[];
}

interface Visit {
  name: string;
  who: 'runner' | 'consentingCoach' | 'stravaOnly' | 'anonymous';
  path: string;
  charts?: string[];
  /** Something on the page that only renders when its scripts or styles worked. */
  ready?: string;
}

jest.setTimeout(240_000);

/**
 * Every kind of page in Chromium with the Content Security Policy in force, on a desktop and a
 * phone: no CSP violation, no console error, charts drawn, and a screenshot to look at
 * (test-output/screenshots/security-*.png).
 */
describe('pages under the Content Security Policy, in Chromium', () => {
  let security: Stack;
  let browser: Browser;
  let world: SecurityWorld;
  let visits: Visit[];
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    security = await startSecurityApp();
    browser = await security.browser();
    world = await buildSecurityWorld(security.api);
    const { api: app } = security;
    const { runner, consentingCoach } = world.users;
    const data = new TrainingData(app);
    await data.steadyBase(runner.user.id, { days: 60, km: 8, endDaysAgo: 2, shoeId: world.runner.shoe.id });
    const spike = await data.run(runner.user.id, { daysAgo: 0, distanceKm: 21, shoeId: world.runner.shoe.id });
    await data.pain(runner.user.id, spike, { onsetKm: 4 });
    const alert = await data.alert(runner.user.id, { rule: 'weekly-increase', severity: 'caution', notified: true });
    const alertEmail = await app.get(Mailer).send(app.get(AlertNotifier).compose(alert, runner.user));

    const openCoach = await app.get(UsersService).findOrCreate(uniqueEmail('open-coach'), { role: 'coach' });
    const openTeam = await app.get(TeamsService).create(openCoach, 'Morning Milers');
    const emailChange = app
      .get(SingleUseTokens)
      .issue('email-change', { userId: runner.user.id, from: runner.user.email, to: uniqueEmail('new') }, 3600);
    const stravaOnly = await stravaOnlyAccount(app);
    const stravaOnlySession = (await app.get(SessionsService).create(stravaOnly.userId)).token;
    const mergeChange = app
      .get(SingleUseTokens)
      .issue(
        'email-change',
        { userId: stravaOnly.userId, from: `strava-athlete-${stravaOnly.athleteId}@no-email.invalid`, to: consentingCoach.user.email },
        3600,
      );
    cookies.runner = runner.cookie.split('=')[1];
    cookies.consentingCoach = consentingCoach.cookie.split('=')[1];
    cookies.stravaOnly = stravaOnlySession;
    const strip = (absolute: string) => absolute.replace(/^https?:\/\/[^/]+/, '');

    visits = [
      { name: 'login', who: 'anonymous', path: '/login' },
      { name: 'login-verify', who: 'anonymous', path: strip(app.get(MagicLinks).linkFor(uniqueEmail('verify'))) },
      {
        name: 'pain-checkin',
        who: 'anonymous',
        path: `/pain/checkin?t=${encodeURIComponent(app.get(PainCheckins).issueToken(spike))}&answer=other`,
      },
      { name: 'unsubscribe', who: 'anonymous', path: strip(app.get(EmailLinks).unsubscribeUrl(runner.user.id, 'alerts')) },
      { name: 'email-preferences', who: 'anonymous', path: strip(app.get(EmailLinks).preferencesUrl(runner.user.id)) },
      { name: 'not-found', who: 'anonymous', path: '/no-such-page' },
      { name: 'join', who: 'runner', path: `/join/${openTeam.inviteCode}` },
      { name: 'api-docs', who: 'anonymous', path: '/api/docs', ready: '#swagger-ui .info' },
      { name: 'me', who: 'runner', path: '/me', charts: CHARTS },
      { name: 'settings', who: 'runner', path: '/settings' },
      { name: 'shoes', who: 'runner', path: '/shoes' },
      { name: 'settings-email', who: 'runner', path: '/settings/email' },
      { name: 'email-confirm', who: 'runner', path: `/email/confirm?t=${encodeURIComponent(emailChange)}` },
      { name: 'teams', who: 'runner', path: '/teams' },
      { name: 'pain-report', who: 'runner', path: `/runs/${world.runner.run.id}/pain` },
      { name: 'outbox', who: 'runner', path: '/outbox' },
      { name: 'outbox-alert', who: 'runner', path: `/outbox/${alertEmail.path!.split('/').pop()}`, ready: 'iframe.email-preview' },
      { name: 'team', who: 'consentingCoach', path: `/teams/${world.teams.consenting.id}` },
      {
        name: 'runner-for-coach',
        who: 'consentingCoach',
        path: `/runners/${runner.user.id}`,
        charts: ['chart-weekly', 'chart-ratios', 'chart-acwr'],
      },
      { name: 'strava-welcome', who: 'stravaOnly', path: '/settings/email?welcome=1' },
      { name: 'strava-me', who: 'stravaOnly', path: '/me' },
      { name: 'merge-by-email', who: 'stravaOnly', path: `/email/confirm?t=${encodeURIComponent(mergeChange)}` },
    ];
  });

  afterAll(async () => {
    await security?.stop();
  });

  async function open(who: Visit['who'], viewport: (typeof VIEWPORTS)[keyof typeof VIEWPORTS]): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport });
    if (who !== 'anonymous') await context.addCookies([{ name: 'deload_session', value: cookies[who], url: security.url }]);
    await context.addInitScript(() => {
      const globals = globalThis as unknown as PageGlobals & {
        addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
      };
      globals.__cspViolations = [];
      globals.addEventListener('securitypolicyviolation', (event) =>
        globals.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const page = await context.newPage();
    return { page, errors: recordPageErrors(page) };
  }

  it.each(Object.entries(VIEWPORTS))('shows every page without a CSP violation or console error (%s)', async (viewportName, viewport) => {
    const problems: unknown[] = [];
    for (const who of ['anonymous', 'runner', 'consentingCoach', 'stravaOnly'] as const) {
      const { page, errors } = await open(who, viewport);
      for (const visit of visits.filter((candidate) => candidate.who === who)) {
        errors.length = 0;
        const response = await page.goto(`${security.url}${visit.path}`, { waitUntil: 'load' });
        if (visit.charts) await page.locator('body[data-charts-ready]').waitFor({ state: 'attached' });
        if (visit.ready) await page.locator(visit.ready).first().waitFor({ state: 'visible' });
        const drawn = await page.evaluate((ids) => {
          const { document, Chart } = globalThis as unknown as PageGlobals;
          return ids.filter((id) => {
            const canvas = document.getElementById(id);
            return !!canvas && !!Chart.getChart(canvas) && canvas.width > 0;
          });
        }, visit.charts ?? []);
        const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
        await screenshot(page, `security-${visit.name}-${viewportName}`);
        const notFound = visit.name === 'not-found';
        // The 404 page itself is the one failed load Chromium reports there.
        const unexpected = errors.filter((error) => !(notFound && error.includes('status of 404')));
        if (response?.status() !== (notFound ? 404 : 200)) problems.push({ page: visit.name, status: response?.status() });
        if (violations.length || unexpected.length) problems.push({ page: visit.name, violations, errors: unexpected });
        if (drawn.length !== (visit.charts ?? []).length) problems.push({ page: visit.name, charts: drawn, expected: visit.charts });
      }
      await page.context().close();
    }
    expect(problems).toEqual([]);
  });

  it('submits our forms under the CSP and the cross-site check: sign in by email, change the address, save settings', async () => {
    const outbox = security.outbox;
    const linkIn = async (to: string, pattern: RegExp) => {
      const [entry] = (await outbox.list(5000)).filter((mail) => mail.to === to);
      return (await outbox.read(entry.file)).text!.match(pattern)![0].replace(/^https?:\/\/[^/]+/, security.url);
    };
    const { page, errors } = await open('anonymous', VIEWPORTS.phone);
    const email = uniqueEmail('browser');
    await page.goto(`${security.url}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto(await linkIn(email, /\S+\/login\/verify\?token=\S+/));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/me$/);

    const newEmail = uniqueEmail('browser-new');
    await page.goto(`${security.url}/settings/email`);
    await page.getByLabel('New email address').fill(newEmail);
    await page.getByRole('button', { name: 'Send the confirmation link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto(await linkIn(newEmail, /\S+\/email\/confirm\?t=\S+/));
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.getByText('Your address is changed.').waitFor();
    await screenshot(page, 'security-email-changed-phone');

    await page.getByLabel('Your name, as your coach or runners see it').fill('Browser Runner');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/saved=preferences/);
    expect(await page.getByLabel('Your name, as your coach or runners see it').inputValue()).toBe('Browser Runner');
    const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
    expect({ violations, errors }).toEqual({ violations: [], errors: [] });
    await page.context().close();
  });
});
