import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MagicLinks } from '../../libs/auth/src';
import { PUBLIC_DEVELOPMENT_SECRET_KEY } from '../../libs/config/src';
import { Mailer } from '../../libs/mail/src';
import { freePort } from '../support/ports';
import { startCompiled } from '../support/processes';
import { signIn, uniqueEmail } from '../support/sessions';
import { testEnv } from '../support/test-env';
import { send } from './support/http';
import { Stack, startStack } from '../support/stack';
import { startSecurityApp } from './support/security-world';

const STACK_LINE = /\bat .+:\d+:\d+/;

jest.setTimeout(120_000);

describe('HTTP hardening', () => {
  let security: Stack;

  beforeAll(async () => {
    security = await startSecurityApp();
  });
  afterAll(() => security?.stop());

  describe('security headers', () => {
    it('sends a CSP that runs only our own scripts (by a fresh nonce), forbids framing, and no-store on pages and API', async () => {
      const runner = await signIn(security.api);
      const first = await send(security.url, runner, { method: 'GET', path: '/me', page: true });
      const second = await send(security.url, runner, { method: 'GET', path: '/me', page: true });
      const csp = first.headers.get('content-security-policy')!;
      const nonce = csp.match(/script-src 'nonce-([^']+)'/)![1];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toMatch(/style-src 'self'(;|$)/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      const scripts = [...first.body.matchAll(/<script [^>]*>/g)].map(([tag]) => tag);
      expect(scripts.length).toBeGreaterThan(1);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(second.headers.get('content-security-policy')).not.toContain(nonce);
      for (const [name, value] of [
        ['x-content-type-options', 'nosniff'],
        ['referrer-policy', 'same-origin'],
        ['x-frame-options', 'DENY'],
        ['cache-control', 'no-store'],
      ]) {
        expect({ name, value: first.headers.get(name) }).toEqual({ name, value });
      }
      expect(first.headers.get('strict-transport-security')).toBeNull();
      expect(first.headers.get('x-powered-by')).toBeNull();
      const api = await send(security.url, runner, { method: 'GET', path: '/api/me' });
      expect(api.headers.get('cache-control')).toBe('no-store');
      const asset = await fetch(`${security.url}/assets/app.css`);
      expect(asset.headers.get('cache-control')).not.toContain('no-store');
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('lets only the API docs (Swagger UI, nobody’s data) use inline styles', async () => {
      const docs = await fetch(`${security.url}/api/docs`);
      expect(docs.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
      expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    });

    it('adds HSTS and upgrades requests when PUBLIC_URL is https', async () => {
      const api = await startStack({ api: true, env: { PUBLIC_URL: 'https://deload.example' } });
      const { url } = api;
      try {
        const page = await fetch(`${url}/login`);
        expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
        expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      } finally {
        await api.stop();
      }
    });
  });

  describe('request bodies', () => {
    it('answers a JSON body over 100 KB with 413 and a reason, and malformed JSON with 400, never a stack trace', async () => {
      const big = await fetch(`${security.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.test', padding: 'x'.repeat(150_000) }),
      });
      expect(big.status).toBe(413);
      const body = await big.text();
      expect(JSON.parse(body)).toEqual({ statusCode: 413, error: 'too_large', message: 'the request body is larger than 100 KB' });
      expect(body).not.toMatch(STACK_LINE);

      const broken = await fetch(`${security.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":',
      });
      expect(broken.status).toBe(400);
      const brokenBody = await broken.text();
      expect(JSON.parse(brokenBody)).toMatchObject({ statusCode: 400, message: 'the request body is not valid JSON' });
      expect(brokenBody).not.toMatch(STACK_LINE);

      const form = await fetch(`${security.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams({ email: 'a@example.test', padding: 'x'.repeat(150_000) }),
      });
      expect(form.status).toBe(413);
      const page = await form.text();
      expect(page).toContain('the request body is larger than 100 KB');
      expect(page).not.toMatch(STACK_LINE);
    });
  });

  describe('redirects after sign-in', () => {
    it.each(['/.//evil.example', '/./\\evil.example', '/%2e//evil.example', '//evil.example', 'https://evil.example/'])(
      'never leave the site: next=%s',
      async (next) => {
        const runner = await signIn(security.api);
        const signedIn = await send(security.url, runner, { method: 'GET', path: `/login?next=${encodeURIComponent(next)}`, page: true });
        expect(signedIn.status).toBe(303);
        expect(signedIn.location).toBe('/');
        const anonymous = await send(security.url, undefined, {
          method: 'GET',
          path: `/login?next=${encodeURIComponent(next)}`,
          page: true,
        });
        expect(anonymous.body).toContain('name="next" value="/"');
        const link = security.api.get(MagicLinks).linkFor(uniqueEmail('redirect'), next);
        const token = new URL(link).searchParams.get('token')!;
        expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).data.next).toBe('/');
      },
    );
  });

  describe('writes from other sites (CSRF beyond the token)', () => {
    const patch = (who: Awaited<ReturnType<typeof signIn>>, headers: Record<string, string>) =>
      send(security.url, who, { method: 'PATCH', path: '/api/settings', json: { units: 'mi' }, headers });

    it('refuses a write whose Origin or Sec-Fetch-Site says another site, even with the right CSRF token', async () => {
      const runner = await signIn(security.api);
      for (const headers of <Record<string, string>[]>[
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { origin: `${security.url}.evil.example` },
        { origin: security.url, 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ]) {
        const response = await patch(runner, headers);
        expect({ headers, status: response.status, body: response.body }).toEqual({
          headers,
          status: 403,
          body: expect.stringContaining('this request came from another site'),
        });
      }
      // Sign-in forms too: another site cannot make a browser ask for links (or sign it in).
      const login = await send(security.url, undefined, {
        method: 'POST',
        path: '/api/login',
        json: { email: uniqueEmail('csrf') },
        headers: { origin: 'https://evil.example' },
      });
      expect(login.status).toBe(403);
    });

    it('accepts our own origin (the address used, or PUBLIC_URL’s) and clients that send neither header', async () => {
      const runner = await signIn(security.api);
      for (const headers of <Record<string, string>[]>[
        { origin: security.url, 'sec-fetch-site': 'same-origin' },
        { origin: 'http://localhost:3000' }, // PUBLIC_URL of the test environment's default
        { origin: 'null', 'sec-fetch-site': 'same-origin' }, // a browser under a strict referrer policy
        { 'sec-fetch-site': 'none' },
        {},
      ]) {
        const response = await patch(runner, headers);
        expect({ headers, status: response.status }).toEqual({ headers, status: 200 });
      }
    });
  });

  describe('sign-in rate limits behind a proxy (TRUST_PROXY)', () => {
    const ask = (url: string, email: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email }),
      });

    it('ignores X-Forwarded-For unless the proxy is configured, and says when to retry', async () => {
      const api = await startStack({ api: true, redisPrefix: 'no-proxy' });
      const { url } = api;
      try {
        for (let i = 0; i < 30; i++)
          expect((await ask(url, uniqueEmail('spray'), { 'x-forwarded-for': `203.0.113.${i}` })).status).toBe(202);
        const refused = await ask(url, uniqueEmail('spray'), { 'x-forwarded-for': '198.51.100.7' });
        expect(refused.status).toBe(429);
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(await refused.json()).toMatchObject({ error: 'rate_limited', details: { retryAfterS: retryAfter } });

        const page = await fetch(`${url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          body: new URLSearchParams({ email: uniqueEmail('spray') }),
        });
        expect(page.status).toBe(429);
        expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
      } finally {
        await api.stop();
      }
    });

    it('takes the client address from the configured proxy only', async () => {
      const api = await startStack({ api: true, redisPrefix: 'loopback-proxy', env: { TRUST_PROXY: 'loopback' } });
      const { url } = api;
      try {
        for (let i = 0; i < 31; i++)
          expect((await ask(url, uniqueEmail('via-proxy'), { 'x-forwarded-for': `203.0.113.${i}` })).status).toBe(202);
        for (let i = 0; i < 30; i++)
          expect((await ask(url, uniqueEmail('one-client'), { 'x-forwarded-for': '198.51.100.9' })).status).toBe(202);
        expect((await ask(url, uniqueEmail('one-client'), { 'x-forwarded-for': '198.51.100.9' })).status).toBe(429);
        // A client behind the proxy cannot pick its address by prepending one: the proxy's hop is the one trusted.
        expect((await ask(url, uniqueEmail('one-client'), { 'x-forwarded-for': '192.0.2.1, 198.51.100.9' })).status).toBe(429);
      } finally {
        await api.stop();
      }
    });
  });

  it('writes outbox emails readable by Deload’s own user only', async () => {
    const sent = await security.api.get(Mailer).send({ to: uniqueEmail('perm'), subject: 'Private', text: 'x' });
    expect((await stat(sent.path!)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(sent.path!))).mode & 0o777).toBe(0o700);
  });

  describe('the public development key', () => {
    it('keeps the api from starting unless it listens on loopback only, and says why', async () => {
      const refused = startCompiled(
        'dist/apps/api/src/main.js',
        [],
        testEnv({ SECRET_KEY: PUBLIC_DEVELOPMENT_SECRET_KEY, PORT: String(await freePort()) }),
      );
      const { code, stderr } = await refused.finished;
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^Deload api failed to start: SECRET_KEY is the public development key, and the api would listen on every network interface/m,
      );
      expect(stderr).toContain('LISTEN_HOST=127.0.0.1');
      expect(stderr).not.toMatch(STACK_LINE);

      const port = await freePort();
      const loopback = startCompiled(
        'dist/apps/api/src/main.js',
        [],
        testEnv({ SECRET_KEY: PUBLIC_DEVELOPMENT_SECRET_KEY, LISTEN_HOST: '127.0.0.1', PORT: String(port) }),
      );
      try {
        await loopback.waitForOutput(new RegExp(`Deload api listening on http://127\\.0\\.0\\.1:${port}`));
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      } finally {
        await loopback.stop();
      }
    });
  });
});
