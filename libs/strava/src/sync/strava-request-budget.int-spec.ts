import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthModule } from '@deload/auth';
import { QueueModule } from '@deload/queue';
import { integrationModule } from '../../../../test/support/integration-module';
import { deleteRedisKeys, isolatedRedisPrefix } from '../../../../test/support/redis-prefix';
import { startStravaContext, StravaContext } from '../../../../test/support/strava-context';
import { StravaApi } from '../api/strava-api';
import { StravaConnections } from '../connections/strava-connections.service';
import { StravaModule } from '../strava.module';
import { StravaWebhookInbox } from '../webhooks/strava-webhook-inbox.service';
import { StravaEventHandler } from './strava-event-handler.service';
import { StravaShoes } from './strava-shoes.service';

/**
 * What Strava requests cost all-in: one token refresh however many jobs want it (two worker
 * processes, one PostgreSQL row lock), a shoe fetched only when a run names one we do not know,
 * and spare work done while a fetch's token is fresh.
 */
describe('Strava requests per activity, all-in', () => {
  let context: StravaContext;
  let secondWorker: INestApplicationContext;
  const secondPrefix = isolatedRedisPrefix('strava-lib-2');

  const tokenCalls = () => context.fake.count('POST /oauth/token');
  const db = () => context.app.get(DataSource);

  /** A webhook-like inbox event for the activity, handled as the strava-event job would. */
  const handleCreated = async (athleteId: number, activityId: number) => {
    await context.app.get(StravaWebhookInbox).recordMissing(String(athleteId), [String(activityId)]);
    const [{ id }] = await db().query(`SELECT id FROM webhook_events WHERE payload->>'object_id' = $1`, [String(activityId)]);
    return context.app.get(StravaEventHandler).handle(id, false);
  };

  beforeAll(async () => {
    context = await startStravaContext();
    secondWorker = await integrationModule([QueueModule, AuthModule, StravaModule], {
      env: { ...context.fake.env(), REDIS_KEY_PREFIX: secondPrefix },
    });
  });

  afterAll(async () => {
    await secondWorker?.close();
    await context?.close();
    await deleteRedisKeys(secondPrefix);
  });

  it('refreshes an expiring token once when many jobs in two workers need it at the same moment, and keeps it encrypted', async () => {
    const { athleteId, userId, connection } = await context.connectedAthlete();
    const activities = Array.from({ length: 12 }, () => context.fake.addActivity(athleteId));
    await db().query(`UPDATE strava_connections SET expires_at = now() + interval '1 minute' WHERE id = $1`, [connection.id]);
    const before = tokenCalls();

    const workers = [context.app, secondWorker];
    const fetched = await Promise.all(
      activities.map(async (activity, i) => {
        const worker = workers[i % 2];
        const own = await worker.get(StravaConnections).byUser(userId);
        return worker.get(StravaApi).activity(own!, String(activity.id), 'webhook');
      }),
    );

    expect(fetched.map((activity) => String(activity.id))).toEqual(activities.map((activity) => String(activity.id)));
    expect(tokenCalls() - before).toBe(1);
    const [row] = await db().query(`SELECT access_token_enc, refresh_token_enc, expires_at FROM strava_connections WHERE id = $1`, [
      connection.id,
    ]);
    const plain = context.app.get(StravaConnections).openAccessToken({ ...connection, accessTokenEnc: row.access_token_enc });
    expect(plain).toMatch(/^[0-9a-f]{40}$/);
    expect(row.access_token_enc).not.toContain(plain);
    expect(new Date(row.expires_at).getTime()).toBeGreaterThan(Date.now() + 5 * 3600_000);
  });

  it('refreshes once when Strava refuses the token in the middle of its life, whichever worker sees it first', async () => {
    const { athleteId, userId } = await context.connectedAthlete();
    const activities = Array.from({ length: 8 }, () => context.fake.addActivity(athleteId));
    context.fake.expireAccessTokens(athleteId);
    const before = tokenCalls();
    const workers = [context.app, secondWorker];
    await Promise.all(
      activities.map(async (activity, i) => {
        const worker = workers[i % 2];
        const own = await worker.get(StravaConnections).byUser(userId);
        return worker.get(StravaApi).activity(own!, String(activity.id), 'webhook');
      }),
    );
    expect(tokenCalls() - before).toBe(1);
  });

  it('does not refresh a token a call does not need yet', async () => {
    const { athleteId, connection } = await context.connectedAthlete();
    const activity = context.fake.addActivity(athleteId);
    const before = tokenCalls();
    await context.app.get(StravaApi).activity(connection, String(activity.id), 'webhook');
    expect(tokenCalls() - before).toBe(0);
  });

  it('fetches a shoe only when a new run names one Deload does not know, and never polls the athlete for it', async () => {
    const { athleteId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g71', name: 'Pegasus 40', distance: 100_000 });
    await context.app.get(StravaShoes).refresh(connection, 'background');
    const count = (endpoint: string) => context.fake.count(endpoint);
    const before = {
      gear: count('GET /api/v3/gear/{id}'),
      athlete: count('GET /api/v3/athlete'),
      details: count('GET /api/v3/activities/{id}'),
    };

    for (let i = 0; i < 3; i++) await handleCreated(athleteId, context.fake.addActivity(athleteId, { gear_id: 'g71' }).id);
    context.fake.addGear(athleteId, { id: 'g72', name: 'Vaporfly 3', distance: 5_000 });
    await handleCreated(athleteId, context.fake.addActivity(athleteId, { gear_id: 'g72' }).id);
    await handleCreated(athleteId, context.fake.addActivity(athleteId, { gear_id: 'g72' }).id);

    expect(count('GET /api/v3/activities/{id}') - before.details).toBe(5);
    expect(count('GET /api/v3/gear/{id}') - before.gear).toBe(1);
    expect(count('GET /api/v3/athlete') - before.athlete).toBe(0);
    const shoes = await db().query(`SELECT external_id, name FROM shoes WHERE user_id = $1 ORDER BY external_id`, [connection.userId]);
    expect(shoes).toEqual([
      { external_id: 'g71', name: 'Pegasus 40' },
      { external_id: 'g72', name: 'Vaporfly 3' },
    ]);
  });

  it('reads a runner’s due shoe list right after a webhook fetch, with the fetch’s token, and then not for a month', async () => {
    const { athleteId } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g81', name: 'Novablast 4', distance: 42_000 });
    const athleteCalls = () => context.fake.count('GET /api/v3/athlete');
    const [athlete, tokens] = [athleteCalls(), tokenCalls()];

    await handleCreated(athleteId, context.fake.addActivity(athleteId).id);
    await handleCreated(athleteId, context.fake.addActivity(athleteId).id);

    expect(athleteCalls() - athlete).toBe(1);
    expect(tokenCalls() - tokens).toBe(0);
  });
});
