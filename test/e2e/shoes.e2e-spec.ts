import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../libs/queue/src';
import { ShoesRepository } from '../../libs/persistence/src';
import { buildSecurityWorld, SecurityWorld, SignedInPersona, startSecurityApp } from '../security/support/security-world';
import { apiCall, formPost } from '../support/requests';
import { signIn, SignedIn } from '../support/sessions';
import { Stack } from '../support/stack';
import { TrainingData } from '../support/training-data';

interface ShoeJson {
  id: string;
  name: string;
  brand: string | null;
  model: string | null;
  source: string;
  startingDistanceM: number;
  retireThresholdM: number | null;
  retired: boolean;
  defaultFor: string[];
  locallyEdited: string[];
  distanceM: number;
  limitM: number;
  state: string;
  recentRuns: number;
  recentShare: number;
}

describe('shoes: the runner’s own pairs through the API and the shoes page', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startSecurityApp();
    ({ api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  const api = (who: SignedIn, path: string, method = 'GET', body?: unknown) => apiCall(url, who, path, method, body);
  const form = (who: SignedIn, path: string, fields: Record<string, string | string[]>) => formPost(url, who, path, fields);

  const list = async (who: SignedIn, query = '') => (await (await api(who, `/api/shoes${query}`)).json()) as ShoeJson[];

  async function evaluationsRequested(userId: string): Promise<string[]> {
    const jobs = await app.get(JobQueue).queue('evaluate').getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.filter((job) => job?.data.userId === userId).map((job) => job.data.reason);
  }

  it('adds, changes, retires and brings back a shoe through the API; the runner is evaluated again', async () => {
    const runner = await signIn(app);
    const created = await api(runner, '/api/shoes', 'POST', {
      name: 'Novablast',
      brand: 'Asics',
      startingDistanceM: 120_000,
      defaultFor: ['run'],
    });
    expect(created.status).toBe(201);
    const shoe = (await created.json()) as ShoeJson;
    expect(shoe).toMatchObject({
      name: 'Novablast',
      brand: 'Asics',
      model: null,
      source: 'manual',
      retireThresholdM: null,
      defaultFor: ['run'],
    });
    expect(await evaluationsRequested(runner.user.id)).toEqual(['shoes']);

    const trail = (await (
      await api(runner, '/api/shoes', 'POST', { name: 'Speedgoat', defaultFor: ['trail_run', 'run'] })
    ).json()) as ShoeJson;
    const [first, second] = await list(runner);
    expect([first.name, first.defaultFor, first.distanceM, first.limitM, first.state]).toEqual(['Novablast', [], 120_000, 800_000, 'ok']);
    expect([second.name, second.defaultFor]).toEqual(['Speedgoat', ['run', 'trail_run']]);

    const changed = await api(runner, `/api/shoes/${shoe.id}`, 'PATCH', {
      name: 'Blue Novablast',
      retireThresholdM: 600_000,
      startingDistanceM: 550_000,
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      name: 'Blue Novablast',
      retireThresholdM: 600_000,
      locallyEdited: ['name', 'retireThresholdM'],
    });
    expect((await list(runner)).find((listed) => listed.id === shoe.id)).toMatchObject({
      distanceM: 550_000,
      limitM: 600_000,
      state: 'ageing',
    });

    const retired = await api(runner, `/api/shoes/${trail.id}/retire`, 'POST');
    expect(retired.status).toBe(200);
    expect(await retired.json()).toMatchObject({ retired: true, defaultFor: [] });
    const back = await api(runner, `/api/shoes/${trail.id}/unretire`, 'POST');
    expect(await back.json()).toMatchObject({ retired: false, defaultFor: [] });
  });

  it('answers bad input with 400 and the reason, and changes nothing', async () => {
    const runner = await signIn(app);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/shoes', { brand: 'Nike' }, 'name: must be text'],
      ['POST', '/api/shoes', { name: '  ' }, 'name: must not be empty'],
      ['POST', '/api/shoes', { name: 'X', startingDistanceM: -1 }, 'startingDistanceM: must be 0 or more'],
      [
        'POST',
        '/api/shoes',
        { name: 'X', defaultFor: ['swim'] },
        'defaultFor.0: must be among run, trail_run, treadmill_run, track_run, virtual_run, walk, hike',
      ],
      ['POST', '/api/shoes', { name: 'X', colour: 'red' }, 'Unrecognized key: "colour"'],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await api(runner, path, method, body);
      expect({ body, status: response.status, message: ((await response.json()) as { message: string }).message }).toEqual({
        body,
        status: 400,
        message,
      });
    }
    expect(await list(runner)).toEqual([]);

    const shoe = await new TrainingData(app).shoe(runner.user.id, { name: 'Clifton' });
    const bad = await api(runner, `/api/shoes/${shoe.id}`, 'PATCH', { retireThresholdM: -5 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: 'retireThresholdM: must be more than 0' });

    const strava = await new TrainingData(app).shoe(runner.user.id, { name: 'Strava pair', source: 'strava', reportedKm: 300 });
    const starting = await api(runner, `/api/shoes/${strava.id}`, 'PATCH', { startingDistanceM: 10_000 });
    expect(starting.status).toBe(400);
    expect(await starting.json()).toMatchObject({ message: 'startingDistanceM: Strava reports this shoe’s distance; change it at Strava' });
    expect((await app.get(ShoesRepository).byIdOrFail(strava.id)).startingDistanceM).toBe(0);

    const noToken = await fetch(`${url}/api/shoes`, {
      method: 'POST',
      headers: { cookie: runner.cookie, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sneaky' }),
    });
    expect(noToken.status).toBe(403);
    const crossSite = await fetch(`${url}/api/shoes`, {
      method: 'POST',
      headers: { ...runner.headers, origin: 'https://evil.example', accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sneaky' }),
    });
    expect(crossSite.status).toBe(403);
    expect((await list(runner)).map((listed) => listed.name)).toEqual(['Clifton', 'Strava pair']);
  });

  it('adds and edits a pair with the page’s forms in the runner’s unit, and shows a mistake next to its form', async () => {
    const runner = await signIn(app);
    await app.get(DataSource).query(`UPDATE users SET units = 'mi' WHERE id = $1`, [runner.user.id]);
    const added = await form(runner, '/shoes', {
      name: 'Ghost',
      brand: 'Brooks',
      model: '16',
      startingAt: '100',
      retireAt: '',
      defaultFor: ['run', 'treadmill_run'],
    });
    expect(added.status).toBe(303);
    const [shoe] = await list(runner);
    expect(shoe).toMatchObject({
      name: 'Ghost',
      brand: 'Brooks',
      model: '16',
      retireThresholdM: null,
      defaultFor: ['run', 'treadmill_run'],
    });
    expect(shoe.startingDistanceM).toBeCloseTo(160_934.4, 1);
    expect(added.headers.get('location')).toBe(`/shoes?saved=${shoe.id}#shoe-${shoe.id}`);

    const page = await (await fetch(`${url}/shoes?saved=${shoe.id}`, { headers: { cookie: runner.cookie } })).text();
    expect(page).toContain('Ghost');
    expect(page).toContain('Default for road running, treadmill');
    expect(page).toContain('Malisoux et al. 2015');
    expect(page).not.toContain('arrive with your Strava gear');

    const edited = await form(runner, `/shoes/${shoe.id}`, {
      name: 'Ghost 16',
      brand: 'Brooks',
      model: '',
      startingAt: '100',
      retireAt: '400',
    });
    expect(edited.status).toBe(303);
    const [after] = await list(runner);
    expect(after).toMatchObject({ name: 'Ghost 16', model: null, defaultFor: [] });
    expect(after.retireThresholdM).toBeCloseTo(643_737.6, 1);

    const mistake = await form(runner, `/shoes/${shoe.id}`, { name: 'Ghost 17', startingAt: 'lots', retireAt: '' });
    expect(mistake.status).toBe(400);
    const html = await mistake.text();
    expect(html).toContain('startingDistanceM: must be a number of metres');
    expect(html).toContain('value="Ghost 17"');
    expect((await list(runner))[0].name).toBe('Ghost 16');

    expect((await form(runner, `/shoes/${shoe.id}/retire`, { retired: 'true' })).status).toBe(303);
    expect((await list(runner))[0]).toMatchObject({ retired: true });
  });

  it('shows the rotation of the last 8 weeks: pairs used and each one’s share', async () => {
    const runner = await signIn(app);
    const data = new TrainingData(app);
    const daily = await data.shoe(runner.user.id, { name: 'Daily' });
    const race = await data.shoe(runner.user.id, { name: 'Race' });
    for (const daysAgo of [2, 4, 6]) await data.run(runner.user.id, { daysAgo, distanceKm: 10, shoeId: daily.id });
    await data.run(runner.user.id, { daysAgo: 3, distanceKm: 5, shoeId: race.id });
    await data.run(runner.user.id, { daysAgo: 70, distanceKm: 30, shoeId: race.id });
    const shoes = await list(runner);
    expect(shoes.map((shoe) => [shoe.name, shoe.recentRuns, shoe.recentShare])).toEqual([
      ['Daily', 3, 0.75],
      ['Race', 1, 0.25],
    ]);
    const page = await (await fetch(`${url}/shoes`, { headers: { cookie: runner.cookie } })).text();
    expect(page).toMatch(/<strong>2<\/strong> pairs used on 4 runs/);
    expect(page).toContain('75 %');
  });

  describe('who may see and change a runner’s shoes', () => {
    let world: SecurityWorld;

    beforeAll(async () => {
      world = await buildSecurityWorld(app);
    });

    const as = (persona: SignedInPersona) => world.users[persona];

    it('lets only the runner change their shoes', async () => {
      const shoeId = world.runner.shoe.id;
      for (const persona of ['otherRunner', 'consentingCoach', 'coachWithoutConsent', 'otherTeamCoach'] as const) {
        const answers = await Promise.all([
          api(as(persona), `/api/shoes/${shoeId}`, 'PATCH', { name: 'Taken' }),
          api(as(persona), `/api/shoes/${shoeId}/retire`, 'POST'),
          api(as(persona), `/api/shoes/${shoeId}/unretire`, 'POST'),
          form(as(persona), `/shoes/${shoeId}`, { name: 'Taken' }),
          form(as(persona), `/shoes/${shoeId}/retire`, { retired: 'true' }),
        ]);
        expect({ persona, statuses: answers.map((answer) => answer.status) }).toEqual({ persona, statuses: [403, 403, 403, 403, 403] });
      }
      expect(await app.get(ShoesRepository).byIdOrFail(shoeId)).toMatchObject({ name: `Shoe ${world.marker}`, retired: false });
      expect((await api(as('runner'), `/api/shoes/${shoeId}`, 'PATCH', { name: 'Mine' })).status).toBe(200);
    });

    it('shows a coach the shoes of a runner who accepted their team, read only, without Strava gear', async () => {
      const runnerId = world.users.runner.user.id;
      await new TrainingData(app).shoe(runnerId, { name: 'Strava gear', source: 'strava', reportedKm: 200 });
      const coach = await api(as('consentingCoach'), `/api/shoes?runnerId=${runnerId}`);
      expect(coach.status).toBe(200);
      expect(((await coach.json()) as ShoeJson[]).map((shoe) => [shoe.source, shoe.recentRuns])).toEqual([['manual', 1]]);
      expect((await list(as('runner'), `?runnerId=${runnerId}`)).map((shoe) => shoe.source).sort()).toEqual(['manual', 'strava']);
      for (const persona of ['otherRunner', 'coachWithoutConsent', 'otherTeamCoach'] as const) {
        const response = await api(as(persona), `/api/shoes?runnerId=${runnerId}`);
        expect({ persona, status: response.status }).toEqual({ persona, status: 403 });
      }
      const own = await list(as('consentingCoach'));
      expect(own).toEqual([]);
    });
  });
});
