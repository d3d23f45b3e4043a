import { DataSource } from 'typeorm';
import { RetryLaterError } from '@deload/queue';
import { startStravaContext, StravaContext } from '../../../../test/support/strava-context';
import { StravaConnections } from '../connections/strava-connections.service';
import { StravaRateLimiter } from '../rate-limit/strava-rate-limiter';
import { StravaApi } from './strava-api';
import { StravaAccessRevokedError, StravaNotFoundError } from './strava-errors';

describe('Strava API client against the fake Strava', () => {
  let context: StravaContext;
  let fake: StravaContext['fake'];
  let app: StravaContext['app'];
  const connected = () => context.connectedAthlete();

  beforeAll(async () => {
    context = await startStravaContext();
    ({ fake, app } = context);
  });

  afterAll(() => context?.close());

  it('stores tokens encrypted and reads the athlete with them', async () => {
    const { athleteId, connection } = await connected();
    const [row] = await app
      .get(DataSource)
      .query(`SELECT access_token_enc, refresh_token_enc, scopes FROM strava_connections WHERE id = $1`, [connection.id]);
    expect(row.access_token_enc).toMatch(/^v1\./);
    expect(row.refresh_token_enc).toMatch(/^v1\./);
    expect(row.scopes).toEqual(['read', 'activity:read_all', 'profile:read_all']);
    expect((await app.get(StravaApi).athlete(connection, 'webhook')).id).toBe(String(athleteId));
  });

  it('refreshes an expiring token once, even when calls race, and keeps the rotated refresh token', async () => {
    const { athleteId, connection } = await connected();
    await app.get(DataSource).query(`UPDATE strava_connections SET expires_at = now() WHERE id = $1`, [connection.id]);
    fake.expireAccessTokens(athleteId);
    const stale = [0, 1, 2, 3, 4].map(() => ({ ...connection, expiresAt: new Date() }));
    const before = fake.count('POST /oauth/token');
    const athletes = await Promise.all(stale.map((copy) => app.get(StravaApi).athlete(copy, 'webhook')));
    expect(athletes.map((athlete) => athlete.id)).toEqual(stale.map(() => String(athleteId)));
    expect(fake.count('POST /oauth/token') - before).toBe(1);
    const stored = await app.get(StravaConnections).byAthlete(athleteId);
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 5 * 3600_000);
    // The stored (rotated) refresh token is the one that works now. Read the row again after
    // expiring it: with the copy read before, the call would use the still valid access token and
    // never try the refresh token.
    await app.get(DataSource).query(`UPDATE strava_connections SET expires_at = now() WHERE id = $1`, [connection.id]);
    const expiring = await app.get(StravaConnections).byAthlete(athleteId);
    const refreshes = fake.count('POST /oauth/token');
    await expect(app.get(StravaApi).athlete(expiring!, 'webhook')).resolves.toMatchObject({ id: String(athleteId) });
    expect(fake.count('POST /oauth/token') - refreshes).toBe(1);
  });

  it('refreshes and repeats the call when Strava answers 401 to a token it thinks is valid', async () => {
    const { athleteId, connection } = await connected();
    fake.expireAccessTokens(athleteId);
    const before = fake.count('GET /api/v3/athlete');
    await expect(app.get(StravaApi).athlete(connection, 'webhook')).resolves.toMatchObject({ id: String(athleteId) });
    expect(fake.count('GET /api/v3/athlete') - before).toBe(2);
  });

  it('reports a revoked authorization as such', async () => {
    const { athleteId, connection } = await connected();
    fake.revokeAccess(athleteId);
    await expect(app.get(StravaApi).athlete(connection, 'webhook')).rejects.toBeInstanceOf(StravaAccessRevokedError);
  });

  it('pages through activities, reads details and gear, and tells a missing activity apart', async () => {
    const { athleteId, connection } = await connected();
    fake.addGear(athleteId, { id: 'g77', name: 'Clifton 9', distance: 300_000, notification_distance: 600 });
    for (let day = 1; day <= 5; day++)
      fake.addActivity(athleteId, { start_date: new Date(Date.now() - day * 86_400_000).toISOString(), gear_id: 'g77' });
    const api = app.get(StravaApi);
    const after = Math.floor(Date.now() / 1000) - 30 * 86_400;
    const pages = [1, 2, 3].map((page) => api.activities(connection, { after, page, perPage: 2 }, 'background'));
    expect((await Promise.all(pages)).map((page) => page.length)).toEqual([2, 2, 1]);
    const [first] = await api.activities(connection, { after, page: 1, perPage: 1 }, 'background');
    expect((await api.activity(connection, first.id, 'webhook')).splits_metric).toHaveLength(10);
    expect(await api.gear(connection, 'g77', 'webhook')).toMatchObject({ id: 'g77', notification_distance: 600 });
    await expect(api.activity(connection, '1', 'webhook')).rejects.toBeInstanceOf(StravaNotFoundError);
  });

  // Last: it leaves this context's rate-limit budget blocked until the quarter hour ends.
  it('turns a 429 into a retry at the next window and counts what Strava reported', async () => {
    const { connection } = await connected();
    const limiter = app.get(StravaRateLimiter);
    await app.get(StravaApi).athlete(connection, 'webhook');
    expect((await limiter.usage()).daily).toBeGreaterThan(0);
    fake.exhaustShortWindow();
    const error = await app
      .get(StravaApi)
      .athlete(connection, 'webhook')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    await expect(app.get(StravaApi).athlete(connection, 'webhook')).rejects.toBeInstanceOf(RetryLaterError);
  });
});
