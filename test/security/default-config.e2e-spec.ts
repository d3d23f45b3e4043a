import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../libs/config/src';
import { Outbox } from '../../libs/mail/src';
import { TeamsService } from '../../libs/teams/src';
import { signIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';
import { send, servedRoutes } from './support/http';

jest.setTimeout(120_000);

/**
 * Deload as `npm start` runs it: NODE_ENV unset (development), no SMTP server (emails go to the
 * outbox and are listed at /outbox), no SECRET_KEY. Issue 11's attack on that setup: a runner asks
 * for a sign-in link for the coach's address and opens it from the outbox. Here a signed-in runner
 * with no tie to anyone walks every page and API route with everyone else's ids and must find no
 * other user's address, and no one's sign-in link.
 */
describe('the default configuration exposes no other user’s email', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;
  let outbox: Outbox;
  let keyFile: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deload-default-'));
    outbox = new Outbox(join(dir, 'outbox'));
    keyFile = join(dir, 'var', 'secret.key');
    // Only what the test harness must point elsewhere (its database, Redis prefix, folders); the rest is the default.
    stack = await startStack({
      api: true,
      env: { NODE_ENV: 'development', OUTBOX_DIR: outbox.dir, SECRET_KEY_FILE: keyFile, LOG_LEVEL: 'silent', SECRET_KEY: undefined },
    });
    ({ api: app, url } = stack);
  });
  afterAll(() => stack?.stop());

  it('runs with a generated key, not the public development key', async () => {
    const config = app.get(AppConfig);
    expect(config.env.usingDevelopmentSecretKey).toBe(false);
    expect(config.env.SMTP_URL).toBeUndefined();
    expect(config.env.NODE_ENV).toBe('development');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('keeps a runner from reading anyone else’s email or sign-in link, anywhere', async () => {
    const teams = app.get(TeamsService);
    const data = new TrainingData(app);
    const attacker = await signIn(app);
    const coach = await signIn(app, { role: 'coach' });
    const teammate = await signIn(app);
    const team = await teams.create(coach.user, 'Tuesday Night Runners');
    await teams.answer(teammate.user, team.inviteCode, 'accept');
    const shoe = await data.shoe(teammate.user.id, { name: 'Pegasus' });
    const run = await data.run(teammate.user.id, { daysAgo: 1, distanceKm: 9, shoeId: shoe.id });
    const others = [coach, teammate];

    // The attack from the issue: ask for the coach's sign-in link, signed out and signed in.
    for (const who of [undefined, attacker]) {
      const asked = await send(url, who, { method: 'POST', path: '/login', page: true, form: { email: coach.user.email } });
      expect(asked.status).toBe(200);
    }
    await send(url, undefined, { method: 'POST', path: '/login', page: true, form: { email: attacker.user.email } });
    const files = (await readdir(outbox.dir)).filter((name) => name.endsWith('.eml'));
    const coachLinks = (await outbox.list()).filter((entry) => entry.to === coach.user.email);
    expect(coachLinks).toHaveLength(2);

    const list = await send(url, attacker, { method: 'GET', path: '/outbox', page: true });
    expect(list.body).toContain('Your Deload sign-in link'); // their own
    expect(list.body).not.toContain(coach.user.email);
    for (const entry of coachLinks) {
      for (const path of [`/outbox/${entry.file}`, `/outbox/${entry.file}/html`]) {
        expect({ path, status: (await send(url, attacker, { method: 'GET', path, page: true })).status }).toEqual({ path, status: 404 });
      }
    }

    // Every page and API route, with every id of the others the attacker could guess or learn.
    const substitutes: Record<string, string[]> = {
      runnerId: others.map((other) => other.user.id),
      teamId: [team.id],
      id: [run.id],
      shoeId: [shoe.id],
      file: files,
    };
    const answers: { path: string; status: number; leaked: string[] }[] = [];
    const gets = servedRoutes(app).filter((route) => route.startsWith('GET ') && !route.includes('/api/docs'));
    // Routes that need a secret the attacker does not hold (an invite code, a signed link) are covered by the matrix.
    const needSecrets = ['GET /join/:code', 'GET /api/invites/:code'];
    for (const route of gets.filter((candidate) => !needSecrets.includes(candidate))) {
      for (const path of expand(route.slice(4), substitutes)) {
        for (const page of [true, false]) {
          const response = await send(url, attacker, { method: 'GET', path, page });
          const leaked = others.map((other) => other.user.email).filter((email) => response.body.includes(email));
          answers.push({ path, status: response.status, leaked });
        }
      }
    }
    expect(answers.length).toBeGreaterThan(40);
    expect(answers.filter((answer) => answer.leaked.length || answer.status >= 500)).toEqual([]);
  });
});

/** Every concrete path for a route pattern, one per combination of the substitute values. */
function expand(pattern: string, substitutes: Record<string, string[]>): string[] {
  const parameter = pattern.match(/:(\w+)/);
  if (!parameter) return [pattern];
  const values = substitutes[parameter[1]];
  if (!values) throw new Error(`no substitute for :${parameter[1]} in ${pattern}: add one`);
  return values.flatMap((value) => expand(pattern.replace(parameter[0], encodeURIComponent(value)), substitutes));
}
