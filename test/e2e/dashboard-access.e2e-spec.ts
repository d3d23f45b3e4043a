import { NestExpressApplication } from '@nestjs/platform-express';
import { TeamsService } from '../../libs/teams/src';
import type { TeamEntity } from '../../libs/persistence/src';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

type Actor =
  | 'anonymous'
  | 'other runner'
  | 'coach of another team'
  | 'coach, runner declined'
  | 'coach, runner left'
  | 'coach, runner accepted'
  | 'the runner';

interface World {
  runner: SignedIn;
  actors: Record<Exclude<Actor, 'anonymous'>, SignedIn>;
  team: TeamEntity;
  declinedTeam: TeamEntity;
  leftTeam: TeamEntity;
  otherTeam: TeamEntity;
  shoeId: string;
}

describe('who may reach what (every dashboard route, server-side)', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;
  let world: World;

  beforeAll(async () => {
    stack = await startStack({ api: true });
    ({ api: app, url } = stack);
    world = await buildWorld(app);
  });

  afterAll(() => stack?.stop());

  async function call(actor: Actor, path: string, init: { method?: string; body?: unknown; html?: boolean } = {}) {
    const who = actor === 'anonymous' ? undefined : actor === 'the runner' ? world.runner : world.actors[actor];
    const headers: Record<string, string> = { accept: init.html ? 'text/html' : 'application/json', ...(who?.headers ?? {}) };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
    });
  }

  const runnerRoutes = () => [
    { path: `/api/runners/${world.runner.user.id}/overview` },
    { path: `/runners/${world.runner.user.id}`, html: true },
  ];

  describe.each([
    ['the runner', 200],
    ['coach, runner accepted', 200],
    ['coach, runner declined', 403],
    ['coach, runner left', 403],
    ['coach of another team', 403],
    ['other runner', 403],
  ] as [Actor, number][])('the runner’s page and data, as %s', (actor, status) => {
    it(`answers ${status}`, async () => {
      for (const route of runnerRoutes()) {
        const response = await call(actor, route.path, { html: route.html });
        expect({ path: route.path, status: response.status }).toEqual({ path: route.path, status });
        if (status === 403 && !route.html)
          expect(await response.json()).toMatchObject({ error: 'forbidden', message: 'you do not have access to this runner' });
      }
    });
  });

  it('sends anonymous visitors of pages to sign in and answers the API with 401', async () => {
    for (const path of ['/me', '/settings', '/teams', `/teams/${world.team.id}`, `/runners/${world.runner.user.id}`]) {
      const page = await call('anonymous', path, { html: true });
      expect({ path, status: page.status, location: page.headers.get('location') }).toEqual({
        path,
        status: 303,
        location: `/login?next=${encodeURIComponent(path)}`,
      });
    }
    for (const path of [
      '/api/me',
      '/api/settings',
      '/api/shoes',
      '/api/teams',
      `/api/teams/${world.team.id}`,
      `/api/runners/${world.runner.user.id}/overview`,
    ]) {
      expect({ path, status: (await call('anonymous', path)).status }).toEqual({ path, status: 401 });
    }
    expect((await call('anonymous', '/api/settings', { method: 'PATCH', body: { units: 'mi' } })).status).toBe(401);
    expect((await call('anonymous', `/api/teams/${world.team.id}/invite`, { method: 'POST' })).status).toBe(401);
  });

  it('answers 401 to an anonymous call of every documented API route but sign-in', async () => {
    const document = (await (await fetch(`${url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(10);
    for (const { method, path } of routes.filter((route) => route.path !== '/api/login')) {
      const concrete = path.replace(/\{[^}]+\}/g, world.runner.user.id);
      const response = await fetch(`${url}${concrete}`, {
        method,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
    }
  });

  it('does not let a runner reach another runner by changing the id, even a made-up or malformed one', async () => {
    for (const id of [world.actors['other runner'].user.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
      const response = await call('the runner', `/api/runners/${encodeURIComponent(id)}/overview`);
      expect({ id, status: response.status }).toEqual({ id, status: 403 });
    }
  });

  it('shows a team only to its coach', async () => {
    for (const actor of ['the runner', 'other runner', 'coach of another team'] as Actor[]) {
      for (const path of [`/api/teams/${world.team.id}`, `/teams/${world.team.id}`]) {
        const response = await call(actor, path, { html: path.startsWith('/teams') });
        expect({ actor, path, status: response.status }).toEqual({ actor, path, status: 403 });
      }
      const rotate = await call(actor, `/api/teams/${world.team.id}/invite`, { method: 'POST' });
      expect({ actor, status: rotate.status }).toEqual({ actor, status: 403 });
    }
    const own = await call('coach, runner accepted', `/api/teams/${world.team.id}`);
    expect(own.status).toBe(200);
    const body = (await own.json()) as { rows: { runner: { id: string } }[] };
    expect(body.rows.map((row) => row.runner.id)).toEqual([world.runner.user.id]);
  });

  it('lists only runners who accepted: a declined or departed runner is not on the coach’s team view', async () => {
    for (const [actor, team] of [
      ['coach, runner declined', world.declinedTeam],
      ['coach, runner left', world.leftTeam],
    ] as [Actor, TeamEntity][]) {
      const response = await call(actor, `/api/teams/${team.id}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { rows: unknown[]; totalRunners: number }).totalRunners).toBe(0);
    }
  });

  it('lets only the owner change a shoe or their settings', async () => {
    for (const actor of ['other runner', 'coach, runner accepted'] as Actor[]) {
      const response = await call(actor, `/api/shoes/${world.shoeId}`, { method: 'PATCH', body: { retired: true } });
      expect({ actor, status: response.status }).toEqual({ actor, status: 403 });
    }
    const own = await call('the runner', `/api/settings`);
    expect(((await own.json()) as { units: string }).units).toBe('km');
    const theirs = await call('coach, runner accepted', `/api/settings`);
    expect(((await theirs.json()) as { units: string }).units).toBe(world.actors['coach, runner accepted'].user.units);
  });

  it('refuses writes without the CSRF token', async () => {
    const coach = world.actors['coach, runner accepted'];
    const response = await fetch(`${url}/api/teams/${world.team.id}/invite`, {
      method: 'POST',
      headers: { cookie: coach.cookie, accept: 'application/json' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/CSRF/) });
  });

  it('cuts a coach off the moment the runner leaves', async () => {
    const coach = await signIn(app, { role: 'coach' });
    const runner = await signIn(app);
    const teams = app.get(TeamsService);
    const team = await teams.create(coach.user, 'Leavers');
    await teams.answer(runner.user, team.inviteCode, 'accept');
    const before = await fetch(`${url}/api/runners/${runner.user.id}/overview`, { headers: coach.headers });
    expect(before.status).toBe(200);
    const leave = await fetch(`${url}/api/teams/${team.id}/leave`, { method: 'POST', headers: runner.headers });
    expect(leave.status).toBe(204);
    const after = await fetch(`${url}/api/runners/${runner.user.id}/overview`, { headers: coach.headers });
    expect(after.status).toBe(403);
  });
});

async function buildWorld(app: NestExpressApplication): Promise<World> {
  const teams = app.get(TeamsService);
  const data = new TrainingData(app);
  const runner = await signIn(app);
  const [accepted, declined, left, otherCoach, otherRunner] = await Promise.all([
    signIn(app, { role: 'coach' }),
    signIn(app, { role: 'coach' }),
    signIn(app, { role: 'coach' }),
    signIn(app, { role: 'coach' }),
    signIn(app),
  ]);
  const team = await teams.create(accepted.user, 'Accepted');
  const declinedTeam = await teams.create(declined.user, 'Declined');
  const leftTeam = await teams.create(left.user, 'Left');
  const otherTeam = await teams.create(otherCoach.user, 'Other');
  await teams.answer(runner.user, team.inviteCode, 'accept');
  await teams.answer(runner.user, declinedTeam.inviteCode, 'decline');
  await teams.answer(runner.user, leftTeam.inviteCode, 'accept');
  await teams.leave(runner.user.id, leftTeam.id);
  await teams.answer(otherRunner.user, otherTeam.inviteCode, 'accept');
  const shoe = await data.shoe(runner.user.id, { name: 'Pegasus' });
  await data.run(runner.user.id, { daysAgo: 1, distanceKm: 10, shoeId: shoe.id });
  return {
    runner,
    actors: {
      'the runner': runner,
      'coach, runner accepted': accepted,
      'coach, runner declined': declined,
      'coach, runner left': left,
      'coach of another team': otherCoach,
      'other runner': otherRunner,
    },
    team,
    declinedTeam,
    leftTeam,
    otherTeam,
    shoeId: shoe.id,
  };
}
