import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { MagicLinks } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import { Mailer } from '../../libs/mail/src';
import { EmailLinks } from '../../libs/notify/src';
import { UserEntity } from '../../libs/persistence/src';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

/** The api with an outbox folder of its own, whose emails the tests read. */
const apiWithOutbox = (nodeEnv: 'test' | 'development') => startStack({ outbox: true, api: true, env: { NODE_ENV: nodeEnv } });

describe('unsubscribe and preference links', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;
  let links: EmailLinks;

  beforeAll(async () => {
    stack = await apiWithOutbox('test');
    ({ api: app, url } = stack);
    links = app.get(EmailLinks);
  });
  afterAll(() => stack?.stop());

  const userRow = (id: string) => app.get(DataSource).getRepository(UserEntity).findOneByOrFail({ id });
  const path = (absolute: string) => absolute.replace(/^https?:\/\/[^/]+/, '');

  it('asks before unsubscribing on GET (mail scanners follow links) and unsubscribes on POST', async () => {
    const { user } = await signIn(app);
    const link = path(links.unsubscribeUrl(user.id, 'alerts'));
    const page = await fetch(`${url}${link}`);
    expect(page.status).toBe(200);
    const question = await page.text();
    expect(question).toContain('Stop sending alert emails (warning signs of overuse injury)');
    expect(question).toContain('You can also keep only the strongest warnings');
    expect((await userRow(user.id)).alertEmails).toBe('all');

    const done = await fetch(`${url}${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(done.status).toBe(200);
    const answer = await done.text();
    expect(answer).toContain('You are unsubscribed');
    expect(answer).toContain('Warning signs still appear in your weekly summary and on your page.');
    expect(await userRow(user.id)).toMatchObject({ alertEmails: 'none', emailWeeklySummary: true, painCheckin: 'auto' });
  });

  it('accepts the RFC 8058 one-click POST a mail app sends, without cookies or CSRF token', async () => {
    const { user } = await signIn(app);
    const response = await fetch(`${url}${path(links.unsubscribeUrl(user.id, 'pain-checkin'))}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('unsubscribed from "How did your run feel?" check-ins after runs\n');
    expect((await userRow(user.id)).painCheckin).toBe('off');
  });

  it('refuses a tampered or foreign link with a clear reason', async () => {
    const { user } = await signIn(app);
    const link = links.unsubscribeUrl(user.id, 'alerts');
    const tampered = await fetch(`${url}${path(link).replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'))}`, { method: 'POST' });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ message: 'this link is not valid' });
    const preferencesToken = new URL(links.preferencesUrl(user.id)).searchParams.get('t')!;
    const wrongPurpose = await fetch(`${url}/email/unsubscribe?t=${preferencesToken}`, { method: 'POST' });
    expect(wrongPurpose.status).toBe(400);
    expect(await wrongPurpose.json()).toMatchObject({ message: 'this link is not meant for this page' });
    expect((await userRow(user.id)).alertEmails).toBe('all');
  });

  it('lets the preferences page turn emails off and on again without signing in', async () => {
    const { user } = await signIn(app);
    const link = path(links.preferencesUrl(user.id));
    const page = await (await fetch(`${url}${link}`)).text();
    expect(page).toContain('Email preferences');
    expect(page).not.toContain('team digest');
    expect(page).toContain('<input type="radio" name="alerts" value="all" checked>');
    expect(page).toContain('Only the strongest warnings: pain coming on earlier, and anything marked high');
    const save = (fields: Record<string, string>) =>
      fetch(`${url}${link}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ submitted: '1', ...fields }),
      });
    const saved = await save({ alerts: 'strongest', 'weekly-summary': 'on', 'pain-checkin': 'on' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('<input type="radio" name="alerts" value="strongest" checked>');
    expect(await userRow(user.id)).toMatchObject({
      alertEmails: 'strongest',
      emailWeeklySummary: true,
      painCheckin: 'auto',
      emailCoachDigest: false,
    });
    expect(await save({ alerts: 'none' })).toHaveProperty('status', 200);
    expect(await userRow(user.id)).toMatchObject({ alertEmails: 'none', emailWeeklySummary: false, painCheckin: 'off' });
    const bad = await save({ alerts: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: 'alerts must be one of all, strongest, none' });
    expect((await userRow(user.id)).alertEmails).toBe('none');
  });
});

describe('the outbox page', () => {
  it('shows a runner the emails addressed to them, and only those', async () => {
    const stack = await apiWithOutbox('test');
    const { api: app, url } = stack;
    try {
      const runner = await signIn(app);
      const other = await signIn(app);
      const mailer = app.get(Mailer);
      await mailer.send({ to: runner.user.email, subject: 'For the runner', text: 'hello', html: '<p>hello <b>runner</b></p>' });
      await mailer.send({ to: other.user.email, subject: 'For someone else', text: 'secret' });
      const list = await (await fetch(`${url}/outbox`, { headers: { cookie: runner.cookie } })).text();
      expect(list).toContain('For the runner');
      expect(list).not.toContain('For someone else');
      const [mine, theirs] = await Promise.all(
        [runner.user.email, other.user.email].map(async (to) => (await mailer.outbox.list()).find((entry) => entry.to === to)!),
      );
      const read = await fetch(`${url}/outbox/${mine.file}`, { headers: { cookie: runner.cookie } });
      expect(read.status).toBe(200);
      const html = await read.text();
      expect(html).toContain(`src="/outbox/${mine.file}/html"`);
      expect(html).toContain('sandbox=');
      const preview = await fetch(`${url}/outbox/${mine.file}/html`, { headers: { cookie: runner.cookie } });
      expect(await preview.text()).toContain('<p>hello <b>runner</b></p>');
      expect(preview.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
      expect(preview.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(
        (await fetch(`${url}/outbox/${theirs.file}/html`, { headers: { cookie: runner.cookie, accept: 'application/json' } })).status,
      ).toBe(404);
      expect((await fetch(`${url}/outbox/${theirs.file}`, { headers: { cookie: runner.cookie, accept: 'application/json' } })).status).toBe(
        404,
      );
      expect(
        (await fetch(`${url}/outbox/..%2F..%2Fetc%2Fpasswd`, { headers: { cookie: runner.cookie, accept: 'application/json' } })).status,
      ).toBe(404);
      expect((await fetch(`${url}/outbox`, { headers: { accept: 'application/json' } })).status).toBe(401);
    } finally {
      await stack.stop();
    }
  });

  it('shows every email to an admin — but never someone else’s sign-in link — and nothing more in development', async () => {
    const stack = await apiWithOutbox('development');
    const { api: app, url } = stack;
    try {
      const runner = await signIn(app);
      const operator = await signIn(app);
      const mailer = app.get(Mailer);
      await mailer.send({ to: 'someone@example.test', subject: 'Sent to someone else', text: 'x' });
      await app.get(MagicLinks).request(runner.user.email, '/');
      const [signInLink] = (await mailer.outbox.list()).filter((entry) => entry.to === runner.user.email);
      expect(signInLink.credential).toBe('sign-in');

      const asRunner = await (await fetch(`${url}/outbox`, { headers: { cookie: runner.cookie } })).text();
      expect(asRunner).not.toContain('Sent to someone else');
      expect(asRunner).toContain('Your Deload sign-in link');

      const listed = async () => (await fetch(`${url}/outbox`, { headers: { cookie: operator.cookie } })).text();
      expect(await listed()).not.toContain('Sent to someone else');
      await app.get(UsersService).setAdmin(operator.user.email, true);
      const asAdmin = await listed();
      expect(asAdmin).toContain('Sent to someone else');
      expect(asAdmin).toContain('You are an admin');
      expect(asAdmin).not.toContain('Your Deload sign-in link');
      for (const path of [`/outbox/${signInLink.file}`, `/outbox/${signInLink.file}/html`]) {
        expect((await fetch(`${url}${path}`, { headers: { cookie: operator.cookie, accept: 'application/json' } })).status).toBe(404);
        expect((await fetch(`${url}${path}`, { headers: { cookie: runner.cookie } })).status).toBe(200);
      }
      await app.get(UsersService).setAdmin(operator.user.email, false);
      expect(await listed()).not.toContain('Sent to someone else');
    } finally {
      await stack.stop();
    }
  });
});
