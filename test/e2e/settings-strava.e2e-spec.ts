import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { RunEntity, StravaConnectionEntity } from '../../libs/persistence/src';
import { StravaConnections, StravaOAuthClient } from '../../libs/strava/src';
import { FakeStrava } from '../fake-strava';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

describe('the Strava connection on the settings page', () => {
  let stack: Stack;
  let fake: FakeStrava;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ strava: { limits: { short: 1e5, readShort: 1e5, daily: 1e6, readDaily: 1e6 } }, api: true });
    ({ fake, api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  /** Connects a new athlete of the fake to the runner, as the OAuth callback does. */
  async function connect(runner: SignedIn): Promise<number> {
    const athleteId = 500_000 + Math.floor(Math.random() * 100_000);
    fake.addAthlete({ id: athleteId });
    fake.authorizeNext({ athleteId });
    const oauth = app.get(StravaOAuthClient);
    const redirect = await fetch(oauth.authorizeUrl('http://deload.test/auth/strava/callback', 'state'), { redirect: 'manual' });
    const location = new URL(redirect.headers.get('location')!);
    const grant = await oauth.exchangeCode(location.searchParams.get('code')!);
    await app.get(StravaConnections).saveGrant(runner.user.id, String(athleteId), location.searchParams.get('scope')!.split(','), grant);
    return athleteId;
  }

  const settingsPage = async (who: SignedIn) =>
    (await fetch(`${url}/settings`, { headers: { cookie: who.cookie, accept: 'text/html' } })).text();

  it('offers to connect when not connected, and disconnecting deletes Strava-only data but keeps file uploads', async () => {
    const runner = await signIn(app);
    expect(await settingsPage(runner)).toContain('href="/auth/strava"');

    await connect(runner);
    const data = new TrainingData(app);
    await data.run(runner.user.id, { daysAgo: 2, distanceKm: 12, source: 'strava' });
    await data.run(runner.user.id, { daysAgo: 1, distanceKm: 9, source: 'strava', alsoFrom: 'fit' });
    expect(await settingsPage(runner)).toContain('Disconnect Strava');

    const disconnected = await fetch(`${url}/settings/strava/disconnect`, {
      method: 'POST',
      headers: { cookie: runner.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: runner.csrfToken }),
      redirect: 'manual',
    });
    expect(disconnected.status).toBe(303);
    expect(disconnected.headers.get('location')).toBe('/settings?saved=strava#strava');
    const db = app.get(DataSource);
    expect(await db.getRepository(StravaConnectionEntity).countBy({ userId: runner.user.id })).toBe(0);
    expect((await db.getRepository(RunEntity).findBy({ userId: runner.user.id })).map((run) => run.distanceM)).toEqual([9_000]);
    expect(await settingsPage(runner)).toContain('href="/auth/strava"');
  });

  it('offers "Sign in with Strava" on the sign-in page when Strava is set up', async () => {
    const page = await (await fetch(`${url}/login`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<a class="button strava" href="/auth/strava">Sign in with Strava</a>');
    const start = await fetch(`${url}/auth/strava`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toContain(fake.oauthUrl);
  });
});
