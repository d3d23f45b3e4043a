import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import type { RunEntity, ShoeEntity } from '../../libs/persistence/src';
import { SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';
import { waitFor } from '../support/wait';
import { buildSecurityWorld } from '../security/support/security-world';

type Who = 'runner' | 'otherRunner' | 'consentingCoach' | 'coachWithoutConsent' | 'otherTeamCoach' | 'admin';

interface World {
  users: Record<Who, SignedIn>;
  /** 55 FIT runs of 10 km, newest `runs[0]` (with a pain report), on `shoe`; a walk; a Strava-only run. */
  runs: RunEntity[];
  walk: RunEntity;
  stravaOnly: RunEntity;
  shoe: ShoeEntity;
  otherShoe: ShoeEntity;
}

jest.setTimeout(120_000);

describe('the runs list API (issue 15): GET/PATCH /api/runs, GET/PATCH/DELETE /api/runs/:id', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let world: World;

  beforeAll(async () => {
    stack = await startStack({ api: true });
    app = stack.api;
    world = await buildWorld(app);
  });
  afterAll(() => stack?.stop());

  async function call(who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...world.users[who].headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function evaluationsQueuedFor(userId: string): Promise<number> {
    const jobs = await stack.queue('evaluate').getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    return jobs.filter((job) => job?.data.userId === userId).length;
  }

  it('pages the runner’s activities newest first, 50 a page, with every figure the list shows', async () => {
    const first = await call('runner', 'GET', '/api/runs');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 57, page: 1, pageSize: 50, pages: 2 });
    expect(first.body.runs).toHaveLength(50);
    expect(first.body.runs[0]).toMatchObject({
      id: world.runs[0].id,
      distanceM: 10_000,
      movingS: 3300,
      paceSPerKm: 330,
      shoeName: world.shoe.name,
      sources: ['fit'],
      summaryOnly: false,
      isRun: true,
      notARun: false,
      pain: { hasPain: true, location: 'lateral_knee' },
    });
    expect(first.body.runs[0].localDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = await call('runner', 'GET', '/api/runs?page=2');
    expect(second.body.runs).toHaveLength(7);
    const ids = [...first.body.runs, ...second.body.runs].map((run: { id: string }) => run.id);
    expect(new Set(ids).size).toBe(57);
  });

  it('filters by local date range and sport', async () => {
    const walks = await call('runner', 'GET', '/api/runs?sport=walk');
    expect(walks.body.runs.map((run: { id: string }) => run.id)).toEqual([world.walk.id]);
    const newest = (await call('runner', 'GET', '/api/runs')).body.runs[0].localDate;
    const oneDay = await call('runner', 'GET', `/api/runs?from=${newest}&to=${newest}&sport=run`);
    expect(oneDay.body.runs.map((run: { localDate: string }) => run.localDate)).toEqual(oneDay.body.runs.map(() => newest));
    expect(oneDay.body.total).toBeGreaterThan(0);
  });

  it.each([
    ['from=2024-13-45x', 'from'],
    ['from=2024-05-10&to=2024-05-01', '`from` must not be after `to`'],
    ['sport=bike', 'sport'],
    ['page=0', 'page'],
    ['runnerId=not-a-uuid', 'runnerId'],
  ])('answers a bad query (%s) with 400 and the reason', async (query, reason) => {
    const response = await call('runner', 'GET', `/api/runs?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'invalid' });
    expect(response.body.message).toContain(reason);
  });

  it('pages the HTML list too: 50 rows, then the rest, with links both ways', async () => {
    const page = async (path: string) =>
      (await fetch(`${stack.url}${path}`, { headers: { accept: 'text/html', cookie: world.users.runner.cookie } })).text();
    const first = await page('/runs');
    expect(first.match(/name="runIds"/g)).toHaveLength(50);
    expect(first).toContain('href="/runs?page=2" rel="next"');
    const second = await page('/runs?page=2');
    expect(second.match(/name="runIds"/g)).toHaveLength(7);
    expect(second).toContain('href="/runs?page=1" rel="prev"');
    expect(second).toContain('Page 2 of 2');
  });

  it('answers a page with a bad filter with a 400 page that says why', async () => {
    const response = await fetch(`${stack.url}/runs?from=yesterday`, {
      headers: { accept: 'text/html', cookie: world.users.runner.cookie },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('a date as YYYY-MM-DD');
  });

  it('shows a run with the longest run before it and the alerts it took part in', async () => {
    const run = world.runs[0];
    const [spike] = await app.get(DataSource).query(
      `INSERT INTO alerts (user_id, rule, severity, dedupe_key, facts, message, first_seen_at, last_seen_at)
       VALUES ($1, 'single-run-spike', 'caution', 'e2e-spike', $2, '{"headline":"A long one"}', now(), now()) RETURNING id`,
      [world.users.runner.user.id, JSON.stringify({ runId: run.id, distanceM: 10_000, previousLongestM: 8000, ratio: 1.25 })],
    );
    const response = await call('runner', 'GET', `/api/runs/${run.id}`);
    expect(response.status).toBe(200);
    expect(response.body.run).toMatchObject({ id: run.id, previousLongestM: 10_000, splits: null });
    expect(response.body.spikeRatio).toBe(1);
    expect(response.body.alerts).toEqual([
      expect.objectContaining({
        id: spike.id,
        rule: 'single-run-spike',
        facts: expect.objectContaining({ ratio: 1.25 }),
        detailsWithheld: false,
      }),
    ]);
  });

  it('lets a consenting coach read the runner’s runs but not the Strava-only one, and change nothing', async () => {
    const runnerId = world.users.runner.user.id;
    const list = await call('consentingCoach', 'GET', `/api/runs?runnerId=${runnerId}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(56);
    expect(list.body.runs.map((run: { id: string }) => run.id)).not.toContain(world.stravaOnly.id);
    expect((await call('consentingCoach', 'GET', `/api/runs/${world.runs[1].id}`)).status).toBe(200);
    expect((await call('consentingCoach', 'GET', `/api/runs/${world.stravaOnly.id}`)).status).toBe(403);
    expect((await call('runner', 'GET', `/api/runs/${world.stravaOnly.id}`)).status).toBe(200);
    expect((await call('consentingCoach', 'PATCH', `/api/runs/${world.runs[1].id}`, { notARun: true })).status).toBe(403);
    expect((await call('consentingCoach', 'DELETE', `/api/runs/${world.runs[1].id}`)).status).toBe(403);
    expect((await call('consentingCoach', 'PATCH', '/api/runs', { runIds: [world.runs[1].id], shoeId: null })).status).toBe(403);
  });

  it.each(['otherRunner', 'coachWithoutConsent', 'otherTeamCoach', 'admin'] as Who[])(
    'refuses %s everything of the runner’s runs',
    async (who) => {
      const run = world.runs[2];
      expect((await call(who, 'GET', `/api/runs?runnerId=${world.users.runner.user.id}`)).status).toBe(403);
      expect((await call(who, 'GET', `/api/runs/${run.id}`)).status).toBe(403);
      expect((await call(who, 'PATCH', `/api/runs/${run.id}`, { notARun: true })).status).toBe(403);
      expect((await call(who, 'PATCH', '/api/runs', { runIds: [run.id], shoeId: null })).status).toBe(403);
      expect((await call(who, 'DELETE', `/api/runs/${run.id}`)).status).toBe(403);
      const own = await call(who, 'GET', '/api/runs');
      expect(own.status).toBe(200);
      expect(own.body.runs.map((shown: { id: string }) => shown.id)).not.toContain(run.id);
      const stored = await app.get(DataSource).query(`SELECT is_run, shoe_id FROM runs WHERE id = $1`, [run.id]);
      expect(stored).toEqual([{ is_run: true, shoe_id: world.shoe.id }]);
    },
  );

  it('marks a run "not a run" and back, each time evaluating the runner again', async () => {
    const runnerId = world.users.runner.user.id;
    const run = world.runs[3];
    await stack.queue('evaluate').drain();
    const marked = await call('runner', 'PATCH', `/api/runs/${run.id}`, { notARun: true });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ id: run.id, notARun: true, isRun: false });
    await waitFor('an evaluation after the change', async () => (await evaluationsQueuedFor(runnerId)) > 0);
    const back = await call('runner', 'PATCH', `/api/runs/${run.id}`, { notARun: false });
    expect(back.body).toMatchObject({ notARun: false, isRun: true });
  });

  it('changes the shoe of one run and of many at once, only to one of the runner’s shoes', async () => {
    const [a, b] = [world.runs[4], world.runs[5]];
    const one = await call('runner', 'PATCH', `/api/runs/${a.id}`, { shoeId: world.otherShoe.id });
    expect(one.body).toMatchObject({ shoeId: world.otherShoe.id, shoeName: 'Race flats' });
    const many = await call('runner', 'PATCH', '/api/runs', { runIds: [a.id, b.id], shoeId: null });
    expect(many).toEqual({ status: 200, body: { changed: 2 } });
    const foreignShoe = await new TrainingData(app).shoe(world.users.otherRunner.user.id, { name: 'Not yours' });
    const refused = await call('runner', 'PATCH', '/api/runs', { runIds: [a.id], shoeId: foreignShoe.id });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('no such shoe of yours');
  });

  it.each([
    [{}, 'give `notARun` or `shoeId`'],
    [{ notARun: 'yes' }, 'notARun'],
    [{ shoeId: 'x' }, 'shoeId'],
    [{ notARun: true, colour: 'red' }, 'colour'],
  ])('answers a bad PATCH body %j with 400 and the reason', async (body, reason) => {
    const response = await call('runner', 'PATCH', `/api/runs/${world.runs[6].id}`, body);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(reason);
  });

  it('answers a bad bulk body with 400 and changes nothing', async () => {
    for (const body of [{ runIds: [], shoeId: null }, { runIds: ['x'], shoeId: null }, { runIds: [world.runs[6].id] }]) {
      const response = await call('runner', 'PATCH', '/api/runs', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
  });

  it('refuses writes without the CSRF token or from another site', async () => {
    const run = world.runs[7];
    const withoutToken = await fetch(`${stack.url}/api/runs/${run.id}`, {
      method: 'DELETE',
      headers: { accept: 'application/json', cookie: world.users.runner.cookie },
    });
    expect(withoutToken.status).toBe(403);
    expect((await call('runner', 'DELETE', `/api/runs/${run.id}`, undefined, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('runner', 'GET', `/api/runs/${run.id}`)).status).toBe(200);
  });

  it('deletes a run with its pain report', async () => {
    const run = world.runs[0];
    expect((await call('runner', 'DELETE', `/api/runs/${run.id}`)).status).toBe(204);
    expect((await call('runner', 'GET', `/api/runs/${run.id}`)).status).toBe(403);
    expect(await app.get(DataSource).query(`SELECT 1 FROM pain_reports WHERE run_id = $1`, [run.id])).toEqual([]);
    expect((await call('runner', 'DELETE', `/api/runs/${run.id}`)).status).toBe(403);
  });
});

/** The security suite's cast (the runner's run of yesterday, on their shoe, with a pain report), with 54 more runs, a walk and a Strava-only run. */
async function buildWorld(app: NestExpressApplication): Promise<World> {
  const data = new TrainingData(app);
  const cast = await buildSecurityWorld(app);
  const runner = cast.users.runner;
  const shoe = cast.runner.shoe;
  const otherShoe = await data.shoe(runner.user.id, { name: 'Race flats' });
  const runs: RunEntity[] = [cast.runner.run];
  for (let day = 2; day <= 55; day += 1) runs.push(await data.run(runner.user.id, { daysAgo: day, distanceKm: 10, shoeId: shoe.id }));
  const walk = await data.run(runner.user.id, { daysAgo: 60, distanceKm: 4 });
  await app.get(DataSource).query(`UPDATE runs SET sport = 'walk', is_run = false WHERE id = $1`, [walk.id]);
  const stravaOnly = await data.run(runner.user.id, { daysAgo: 70, distanceKm: 12, source: 'strava' });
  return { users: cast.users, runs, walk, stravaOnly, shoe, otherShoe };
}
