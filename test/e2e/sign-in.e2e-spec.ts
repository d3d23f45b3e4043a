import { NestExpressApplication } from '@nestjs/platform-express';
import { MagicLinks, SingleUseTokens } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import { Outbox } from '../../libs/mail/src';
import { SmtpSink } from '../support/smtp-sink';
import { uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
  body: new URLSearchParams(fields),
  redirect: 'manual' as const,
});

function cookieFrom(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${name}=`))
    ?.split(';')[0];
}

/** Opens the link from the email and presses the button, as a browser would. */
async function useLink(link: string): Promise<Response> {
  const page = await fetch(link, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  const token = html.match(/name="token" value="([^"]+)"/)![1];
  const nonce = html.match(/name="nonce" value="([^"]+)"/)![1];
  const nonceCookie = cookieFrom(page, 'deload_login')!;
  const confirm = form({ token, nonce });
  return fetch(new URL('/login/verify', link), { ...confirm, headers: { ...confirm.headers, cookie: nonceCookie } });
}

describe('sign-in with a magic link', () => {
  describe('without a mail server (outbox)', () => {
    let stack: Stack;
    let app: NestExpressApplication;
    let url: string;
    let outbox: Outbox;

    beforeAll(async () => {
      stack = await startStack({ outbox: true, api: true, env: { PUBLIC_URL: 'http://127.0.0.1:1' } });
      ({ api: app, url, outbox } = stack);
    });

    afterAll(() => stack?.stop());

    async function linkFor(email: string): Promise<string> {
      const [entry] = (await outbox.list()).filter((mail) => mail.to === email);
      const mail = await outbox.read(entry.file);
      const link = mail.text!.match(/https?:\/\/\S+\/login\/verify\?token=\S+/)![0];
      return link.replace('http://127.0.0.1:1', url);
    }

    it('emails a single-use link that signs the person in and takes them where they were going', async () => {
      const email = uniqueEmail('newcomer');
      const asked = await fetch(`${url}/login`, form({ email, next: '/teams' }));
      expect(asked.status).toBe(200);
      const page = await asked.text();
      expect(page).toContain('Check your email');
      expect(page).toContain('No mail server is set up here');
      expect(page).toContain(outbox.dir);
      expect(await app.get(UsersService).byEmail(email)).toBeNull();

      const link = await linkFor(email);
      const signedIn = await useLink(link);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/teams');
      const setCookie = signedIn.headers.getSetCookie().find((cookie) => cookie.startsWith('deload_session='))!;
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      const me = await fetch(`${url}/api/me`, { headers: { cookie: setCookie.split(';')[0] } });
      expect(await me.json()).toMatchObject({ email, role: 'runner' });

      const again = await useLink(link);
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('this link has already been used');
    });

    it('answers the same whether or not the address has an account', async () => {
      const known = uniqueEmail('known');
      await app.get(UsersService).findOrCreate(known);
      const unknown = uniqueEmail('unknown');
      const pages = await Promise.all(
        [known, unknown].map(async (email) => {
          const response = await fetch(`${url}/login`, form({ email, next: '/' }));
          return { status: response.status, body: (await response.text()).replaceAll(email, 'EMAIL').replace(/[^\s<>"]+\.eml/g, 'FILE') };
        }),
      );
      expect(pages[0]).toEqual(pages[1]);
      const api = await Promise.all(
        [known, unknown].map(async (email) => {
          const response = await fetch(`${url}/api/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email }),
          });
          return [response.status, await response.json()];
        }),
      );
      expect(api).toEqual([
        [202, { sent: true }],
        [202, { sent: true }],
      ]);
    });

    it('limits links per address and says when to try again', async () => {
      const email = uniqueEmail('eager');
      for (let attempt = 1; attempt <= 5; attempt += 1) expect((await fetch(`${url}/login`, form({ email }))).status).toBe(200);
      const refused = await fetch(`${url}/login`, form({ email: email.toUpperCase() }));
      expect(refused.status).toBe(429);
      expect(await refused.text()).toMatch(/too many attempts: try again in 1[45] minutes/);
      const api = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(api.status).toBe(429);
      expect(await api.json()).toMatchObject({ error: 'rate_limited', details: { retryAfterS: expect.any(Number) } });
      expect((await outbox.list()).filter((mail) => mail.to === email)).toHaveLength(5);
    });

    it('refuses a bad address with a clear message and sends nothing', async () => {
      const response = await fetch(`${url}/login`, form({ email: 'not an address' }));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('&quot;not an address&quot; is not an email address');
      const api = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mail: 'x' }),
      });
      expect(api.status).toBe(400);
    });

    it('makes a link without sending it, for `deload demo`', async () => {
      const email = uniqueEmail('demo');
      const link = app.get(MagicLinks).linkFor(email, '/teams/x');
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:1\/login\/verify\?token=/);
      const signedIn = await useLink(link.replace('http://127.0.0.1:1', url));
      expect(signedIn.headers.get('location')).toBe('/teams/x');
      expect((await outbox.list()).some((mail) => mail.to === email)).toBe(false);
    });

    it('never redirects off-site after signing in', async () => {
      const email = uniqueEmail('redirect');
      await fetch(`${url}/login`, form({ email, next: '//evil.example/steal' }));
      const signedIn = await useLink(await linkFor(email));
      expect(signedIn.headers.get('location')).toBe('/me');
    });

    it('refuses to sign in a browser that did not open the link (login CSRF), and a forged or expired link', async () => {
      const email = uniqueEmail('csrf');
      await fetch(`${url}/login`, form({ email }));
      const token = new URL(await linkFor(email)).searchParams.get('token')!;
      const crossSite = await fetch(`${url}/login/verify`, form({ token, nonce: 'guessed' }));
      expect(crossSite.status).toBe(400);
      expect(await crossSite.text()).toContain('open the sign-in link from your email in this browser');

      const forged = await fetch(`${url}/login/verify?token=${token.slice(0, -3)}abc`, { headers: { accept: 'text/html' } });
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('this link is not valid');

      const expired = app.get(SingleUseTokens).issue('magic-link', { email, next: '/' }, -1);
      const late = await fetch(`${url}/login/verify?token=${expired}`, { headers: { accept: 'text/html' } });
      expect(late.status).toBe(400);
      expect(await late.text()).toContain('this link has expired');
    });

    it('signs out: the session stops working at once', async () => {
      const email = uniqueEmail('leaver');
      await fetch(`${url}/login`, form({ email }));
      const session = cookieFrom(await useLink(await linkFor(email)), 'deload_session')!;
      const page = await (await fetch(`${url}/me`, { headers: { cookie: session, accept: 'text/html' } })).text();
      const csrf = page.match(/name="csrf-token" content="([^"]+)"/)![1];
      const out = await fetch(`${url}/logout`, { ...form({ _csrf: csrf }), headers: { ...form({}).headers, cookie: session } });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/login');
      expect((await fetch(`${url}/api/me`, { headers: { cookie: session, accept: 'application/json' } })).status).toBe(401);
      // As Swagger's "Try it out" asks: any type. The API still answers in JSON, not with the sign-in page.
      const anyType = await fetch(`${url}/api/me`, { headers: { cookie: session, accept: '*/*' }, redirect: 'manual' });
      expect(anyType.status).toBe(401);
      expect(await anyType.json()).toMatchObject({ message: expect.stringMatching(/sign in/) });
    });
  });

  describe('with a mail server', () => {
    let stack: Stack;
    let app: NestExpressApplication;
    let url: string;
    let sink: SmtpSink;

    beforeAll(async () => {
      stack = await startStack({ smtp: true, api: true, env: { PUBLIC_URL: 'https://deload.example' } });
      ({ api: app, url, sink } = stack);
    });

    afterAll(() => stack?.stop());

    it('sends the link by SMTP and says nothing about files', async () => {
      const email = uniqueEmail('smtp');
      const response = await fetch(`${url}/login`, form({ email }));
      expect(response.status).toBe(200);
      expect(await response.text()).not.toContain('No mail server');
      await sink.waitFor(() => sink.to(email).length === 1);
      const [mail] = sink.to(email);
      expect(mail.subject).toBe('Your Deload sign-in link');
      expect(mail.text).toMatch(/https:\/\/deload\.example\/login\/verify\?token=/);
      expect(mail.html).toContain('Sign in to Deload');
    });

    it('tells the person to try again when the mail server refuses, without a half-made account', async () => {
      const email = uniqueEmail('refused');
      sink.failNext(1);
      const response = await fetch(`${url}/login`, form({ email }));
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('We could not send the email just now');
      expect(await app.get(UsersService).byEmail(email)).toBeNull();
      sink.failNext(1);
      const api = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(api.status).toBe(503);
    });
  });
});
