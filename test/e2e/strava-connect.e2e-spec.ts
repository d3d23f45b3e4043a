import { StravaCron } from '../../apps/worker/src/strava/strava.cron';
import { CSRF_HEADER, SessionsService } from '../../libs/auth/src';
import { DAILY_JOB_GRACE_DAYS, GEAR_REFRESH_DAYS, StravaShoes } from '../../libs/strava/src';
import { recordPageErrors, screenshot } from '../support/browser';
import { signIn } from '../support/sessions';
import {
  backfilledConnection,
  connectThroughRedirects,
  errorMessage,
  evaluationJobs,
  startStravaStack,
  StravaStack,
} from '../support/strava-stack';
import { waitFor } from '../support/wait';

const DAY_S = 86_400;

jest.setTimeout(90_000);
describe('connecting Strava (OAuth through the browser, backfill)', () => {
  let stack: StravaStack;
  let nextAthlete = 700_000 + Math.floor(Math.random() * 100_000);
  const newAthlete = (fields: { firstname?: string } = {}) => stack.fake.addAthlete({ id: nextAthlete++, ...fields }).profile.id;

  const connectionOf = async (athleteId: number) =>
    (await stack.db.query(`SELECT * FROM strava_connections WHERE athlete_id = $1`, [athleteId]))[0] as Record<string, unknown> | undefined;
  const stravaRunCount = async (userId: string) =>
    Number((await stack.db.query(`SELECT count(*) FROM run_sources WHERE user_id = $1 AND source = 'strava'`, [userId]))[0].count);

  beforeAll(async () => {
    // An app with a raised limit (Strava grants them): these tests are about flows, not budgets.
    stack = await startStravaStack({
      subscribe: false,
      fake: { limits: { short: 6000, readShort: 3000, daily: 60_000, readDaily: 30_000 } },
    });
  });

  afterAll(() => stack?.stop());

  it('connects in a real browser, signs the runner in and asks for their email address', async () => {
    const athleteId = newAthlete({ firstname: 'Kari' });
    stack.fake.addActivity(athleteId, { name: 'Easy run' });
    stack.fake.authorizeNext({ athleteId });
    const context = await (await stack.browser()).newContext();
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    await page.goto(`${stack.url}/auth/strava`);
    expect(new URL(page.url()).pathname).toBe('/settings/email');
    expect(await page.locator('h1').textContent()).toBe('Add your email address');
    const cookies = await context.cookies(stack.url);
    expect(cookies.find((cookie) => cookie.name === 'deload_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const connection = await connectionOf(athleteId);
    expect(connection).toMatchObject({ scopes: ['read', 'activity:read_all', 'profile:read_all'] });
    expect(String(connection!.access_token_enc)).toMatch(/^v1\./);
    await waitFor('the backfilled run', async () => (await stravaRunCount(String(connection!.user_id))) === 1);
    const user = await waitFor(
      'the sync to finish',
      async () =>
        (
          await stack.db.query(`SELECT email, display_name, timezone FROM users WHERE id = $1 AND last_synced_at IS NOT NULL`, [
            connection!.user_id,
          ])
        )[0],
    );
    expect(user).toEqual({ email: `strava-athlete-${athleteId}@no-email.invalid`, display_name: 'Kari Runner', timezone: 'Europe/Oslo' });
    expect(errors.filter((error) => !error.includes('404'))).toEqual([]);
    await context.close();
  });

  it('backfills 500 activities from the last 180 days with one list request per 200 (older ones untouched)', async () => {
    const athleteId = newAthlete();
    stack.fake.addGear(athleteId, { id: 'g901', name: 'Pegasus 40', distance: 700_000, notification_distance: 800 });
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 500; i++) {
      const start = new Date((now - Math.floor(((i + 0.5) * 175 * DAY_S) / 500)) * 1000).toISOString();
      stack.fake.addActivity(athleteId, { start_date: start, gear_id: 'g901', sport_type: i % 10 === 0 ? 'Ride' : 'Run' });
    }
    for (let i = 0; i < 20; i++)
      stack.fake.addActivity(athleteId, { start_date: new Date((now - (200 + i) * DAY_S) * 1000).toISOString() });
    stack.fake.resetCounters();

    const { response } = await connectThroughRedirects(stack, athleteId);
    expect(response.status).toBe(303);
    const connection = await backfilledConnection(stack, athleteId, 60_000);
    const userId = String(connection.user_id);
    // backfilled_at is written before the backfill asks for the runner's evaluation; the job
    // completes only after that, so wait for it before asserting what the backfill did.
    await waitFor('the backfill job to complete', async () =>
      (await stack.queue('strava-backfill').getJob(`strava-backfill-${connection.id}`))?.isCompleted(),
    );
    expect(await stravaRunCount(userId)).toBe(500);
    const [runs] = await stack.db.query(
      `SELECT count(*) FILTER (WHERE is_run) AS runs, count(*) FILTER (WHERE NOT is_run) AS other FROM runs WHERE user_id = $1`,
      [userId],
    );
    expect(runs).toEqual({ runs: '450', other: '50' });
    const [shoe] = await stack.db.query(
      `SELECT name, reported_distance_m, retire_threshold_m FROM shoes WHERE user_id = $1 AND source = 'strava'`,
      [userId],
    );
    expect(shoe).toEqual({ name: 'Pegasus 40', reported_distance_m: 700_000, retire_threshold_m: 800_000 });
    const [linked] = await stack.db.query(`SELECT count(*) FROM runs r JOIN shoes s ON s.id = r.shoe_id WHERE r.user_id = $1`, [userId]);
    expect(Number(linked.count)).toBe(500);

    expect(stack.fake.count('GET /api/v3/athlete/activities')).toBe(4); // 200 + 200 + 100 + the empty page
    const recentRuns = Math.ceil((28 / 175) * 450);
    const details = stack.fake.count('GET /api/v3/activities/{id}');
    expect(details).toBeGreaterThan(0);
    expect(details).toBeLessThanOrEqual(Math.min(40, recentRuns + 1));
    expect(stack.fake.count('GET /api/v3/athlete')).toBe(1);
    // The evaluation is queued after the commit that marks the backfill done: wait for it.
    const evaluations = await waitFor('the evaluation after the history import', async () => {
      const jobs = await evaluationJobs(stack, userId);
      return jobs.finished.length + jobs.open.length > 0 && jobs;
    });
    expect(evaluations.finished.length + evaluations.open.length).toBeGreaterThan(0);
  });

  it('reads shoes again once a month has passed (the worker’s cron → one job per runner who is due)', async () => {
    const athleteId = newAthlete();
    stack.fake.addGear(athleteId, { id: 'g555', name: 'Ghost 16', distance: 100_000 });
    await connectThroughRedirects(stack, athleteId);
    const { user_id: userId } = await backfilledConnection(stack, athleteId);
    stack.fake.athletes.get(athleteId)!.gear.get('g555')!.distance = 142_000;
    await stack.worker.get(StravaShoes).markRefreshed(userId, Date.now() - (GEAR_REFRESH_DAYS + DAILY_JOB_GRACE_DAYS + 1) * 86_400_000);
    await stack.worker.get(StravaCron).refreshShoes();
    await waitFor(
      'the refreshed distance',
      async () =>
        (
          await stack.db.query(`SELECT 1 FROM shoes WHERE user_id = $1 AND external_id = 'g555' AND reported_distance_m = 142000`, [userId])
        )[0],
    );
  });

  it('shows what is missing when the runner unticks a scope, and stores nothing', async () => {
    const athleteId = newAthlete();
    const { response } = await connectThroughRedirects(stack, athleteId, { grant: ['activity:read_all'] });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Deload needs a little more access');
    expect(html).toContain('View your complete Strava profile');
    expect(html).not.toContain('View data about your private activities');
    expect(await connectionOf(athleteId)).toBeUndefined();
  });

  it('says nothing was stored when the runner declines', async () => {
    const athleteId = newAthlete();
    const page = await (await stack.browser()).newPage();
    stack.fake.authorizeNext({ athleteId, deny: true });
    await page.goto(`${stack.url}/auth/strava`);
    expect(await page.locator('h1').textContent()).toBe('Strava is not connected');
    await screenshot(page, 'strava-declined');
    expect(await connectionOf(athleteId)).toBeUndefined();
    await page.close();
  });

  it('says so when Strava is down during the exchange, and stores nothing', async () => {
    const athleteId = newAthlete();
    // Down for every token request, not only the next one: the shoe refresh above fanned out to
    // every connection in the shared test database, and the jobs of other test files' connections
    // (whose tokens this fake refuses) keep retrying token refreshes here; one of them could take
    // a single scripted failure and let the exchange through.
    stack.fake.failNext('POST /oauth/token', Number.MAX_SAFE_INTEGER);
    try {
      const { response } = await connectThroughRedirects(stack, athleteId);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('Strava did not answer in time');
    } finally {
      stack.fake.failNext('POST /oauth/token', 0);
    }
    expect(await connectionOf(athleteId)).toBeUndefined();
  });

  it('refuses a callback from another browser (no nonce cookie) and a replayed state', async () => {
    const athleteId = newAthlete();
    stack.fake.authorizeNext({ athleteId });
    const start = await fetch(`${stack.url}/auth/strava`, { redirect: 'manual' });
    const nonceCookie = start.headers.getSetCookie()[0].split(';')[0];
    const callback = (await fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
    const foreign = await fetch(callback, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(foreign.status).toBe(403);
    expect(await errorMessage(foreign)).toMatch(/another browser/);
    const first = await fetch(callback, { redirect: 'manual', headers: { cookie: nonceCookie } });
    expect(first.status).toBe(303);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: nonceCookie, accept: 'application/json' } });
    expect(replay.status).toBe(400);
    expect(await errorMessage(replay)).toMatch(/already been used/);
  });

  it('links Strava to the runner who is already signed in instead of making a new account', async () => {
    const runner = await signIn(stack.api);
    const athleteId = newAthlete();
    const { response, sessionCookie } = await connectThroughRedirects(stack, athleteId, { cookie: runner.cookie });
    expect(response.status).toBe(303);
    expect(sessionCookie).toBeUndefined();
    expect((await connectionOf(athleteId))?.user_id).toBe(runner.user.id);

    const other = await signIn(stack.api);
    const refused = await connectThroughRedirects(stack, athleteId, { cookie: other.cookie });
    expect(refused.response.status).toBe(409);
    expect((await connectionOf(athleteId))?.user_id).toBe(runner.user.id);
  });

  it('disconnects on request: revokes at Strava and deletes tokens and Strava data', async () => {
    const athleteId = newAthlete();
    stack.fake.addActivity(athleteId);
    const { sessionCookie } = await connectThroughRedirects(stack, athleteId);
    const connection = await backfilledConnection(stack, athleteId);
    const userId = String(connection.user_id);
    const sessionToken = sessionCookie!.split('=')[1];
    const csrf = stack.api.get(SessionsService).csrfTokenFor((await stack.api.get(SessionsService).resolve(sessionToken))!.session.id);

    const response = await fetch(`${stack.url}/auth/strava/disconnect`, {
      method: 'POST',
      headers: { cookie: sessionCookie!, [CSRF_HEADER]: csrf },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      connectionRemoved: true,
      runsDeleted: 1,
      shoesDeleted: 0,
      alertsDeleted: 0,
      painReportsDeleted: 0,
      revokedAtStrava: true,
    });
    expect(await connectionOf(athleteId)).toBeUndefined();
    expect(await stravaRunCount(userId)).toBe(0);
    expect(stack.fake.count('POST /oauth/deauthorize')).toBeGreaterThan(0);
  });
});
