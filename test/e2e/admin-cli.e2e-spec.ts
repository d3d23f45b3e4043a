import { NestExpressApplication } from '@nestjs/platform-express';
import { UsersService } from '../../libs/users/src';
import { Mailer } from '../../libs/mail/src';
import { Finished, startCompiled } from '../support/processes';
import { signIn, uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { testEnv } from '../support/test-env';

const cli = (args: string[]): Promise<Finished> => startCompiled('dist/apps/cli/src/main.js', args, testEnv()).finished;

describe('deload admin grant | revoke | list', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ outbox: true, api: true });
    ({ api: app, url } = stack);
  });
  afterAll(() => stack?.stop());

  it('makes an existing account an admin, who then sees every email but sign-in links, and takes it away again', async () => {
    const operator = await signIn(app);
    const someone = uniqueEmail('someone');
    await app.get(Mailer).send({ to: someone, subject: 'For someone else', text: 'x' });
    const outbox = async () => (await fetch(`${url}/outbox`, { headers: { cookie: operator.cookie } })).text();
    expect(await outbox()).not.toContain('For someone else');

    const granted = await cli(['admin', 'grant', operator.user.email.toUpperCase()]);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain(
      `${operator.user.email} is an admin: sees every email in the outbox, except other people's sign-in links`,
    );
    expect((await app.get(UsersService).byEmail(operator.user.email))!.isAdmin).toBe(true);
    expect(await outbox()).toContain('For someone else');
    expect((await cli(['admin', 'list'])).stdout.split('\n')).toContain(operator.user.email);

    const revoked = await cli(['admin', 'revoke', operator.user.email]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`${operator.user.email} is no longer an admin`);
    expect(await outbox()).not.toContain('For someone else');
  });

  it('says so, and exits non-zero, for an address without an account or not an address at all', async () => {
    const unknown = uniqueEmail('nobody');
    const missing = await cli(['admin', 'grant', unknown]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`deload: no account has the address ${unknown}: sign in with it once first\n`);
    expect(await app.get(UsersService).byEmail(unknown)).toBeNull();
    const malformed = await cli(['admin', 'grant', 'not-an-address']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('"not-an-address" is not an email address');
    expect((await cli(['admin', 'grant'])).code).toBe(2);
  });
});
