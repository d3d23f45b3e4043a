import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { CurrentUser, Public, SessionsService } from '../../libs/auth/src';
import type { UserEntity } from '../../libs/persistence/src';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

@Controller('probe')
class ProbeController {
  @Get('me')
  me(@CurrentUser() user: UserEntity) {
    return { email: user.email };
  }

  @Post('write')
  @HttpCode(200)
  write(@Body() body: Record<string, string>) {
    return { ok: true, body };
  }

  @Public()
  @Get('open')
  open(@CurrentUser() user?: UserEntity) {
    return { signedIn: !!user };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('authentication and CSRF (global guard)', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ api: { modules: [ProbeModule] } });
    ({ api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  it('answers an anonymous API request with 401 and a JSON reason', async () => {
    const response = await fetch(`${url}/probe/me`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: 401, message: 'sign in first' });
  });

  it('sends an anonymous browser to the sign-in page, keeping where it was going', async () => {
    const response = await fetch(`${url}/probe/me?x=1`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fprobe%2Fme%3Fx%3D1');
  });

  it('knows the signed-in user from the session cookie', async () => {
    const runner = await signIn(app);
    const response = await fetch(`${url}/probe/me`, { headers: { cookie: runner.cookie } });
    expect(await response.json()).toEqual({ email: runner.user.email });
  });

  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with one', async () => {
    const runner = await signIn(app);
    const withoutToken = await fetch(`${url}/probe/write`, { method: 'POST', headers: { cookie: runner.cookie } });
    expect(withoutToken.status).toBe(403);
    expect(await withoutToken.json()).toMatchObject({ message: expect.stringMatching(/CSRF/) });

    const otherRunner = await signIn(app);
    const wrongToken = await fetch(`${url}/probe/write`, {
      method: 'POST',
      headers: { cookie: runner.cookie, 'x-csrf-token': otherRunner.csrfToken },
    });
    expect(wrongToken.status).toBe(403);

    const viaHeader = await fetch(`${url}/probe/write`, { method: 'POST', headers: runner.headers });
    expect(viaHeader.status).toBe(200);

    const viaForm = await fetch(`${url}/probe/write`, {
      method: 'POST',
      headers: { cookie: runner.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: runner.csrfToken, note: 'hi' }),
    });
    expect(viaForm.status).toBe(200);
    expect(await viaForm.json()).toMatchObject({ body: { note: 'hi' } });
  });

  it('lets anyone reach a public route and still recognises a signed-in user there', async () => {
    expect(await (await fetch(`${url}/probe/open`)).json()).toEqual({ signedIn: false });
    const runner = await signIn(app);
    expect(await (await fetch(`${url}/probe/open`, { headers: { cookie: runner.cookie } })).json()).toEqual({ signedIn: true });
  });

  it('forgets a destroyed session and an unknown cookie', async () => {
    const runner = await signIn(app);
    await app.get(SessionsService).destroy(runner.cookie.split('=')[1]);
    expect((await fetch(`${url}/probe/me`, { headers: { cookie: runner.cookie, accept: 'application/json' } })).status).toBe(401);
    expect((await fetch(`${url}/probe/me`, { headers: { cookie: 'deload_session=forged', accept: 'application/json' } })).status).toBe(401);
  });

  it('renders errors as a page for browsers', async () => {
    const response = await fetch(`${url}/no-such-page`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<title>Sorry · Deload</title>');
    expect(html).toContain('Cannot GET /no-such-page');
  });
});
