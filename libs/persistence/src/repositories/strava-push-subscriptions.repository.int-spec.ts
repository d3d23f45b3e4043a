import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../../../../test/support/test-database';
import { StravaPushSubscriptionsRepository } from './strava-push-subscriptions.repository';

describe('StravaPushSubscriptionsRepository against PostgreSQL', () => {
  let db: DataSource;
  let subscriptions: StravaPushSubscriptionsRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    subscriptions = new StravaPushSubscriptionsRepository(db);
  });
  afterAll(() => db.destroy());

  it('records subscriptions (again: a new callback), finds the latest of a callback, and forgets them', async () => {
    const callback = `https://deload.example/${randomInt(1, 2 ** 40)}/webhooks/strava`;
    const [older, newer] = [randomInt(1, 2 ** 40), randomInt(1, 2 ** 40)];
    expect(await subscriptions.latestFor(callback)).toBeNull();
    await subscriptions.record(older, callback);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await subscriptions.record(newer, 'https://elsewhere.example/webhooks/strava');
    await subscriptions.record(newer, callback);
    expect(await subscriptions.isRecorded(older)).toBe(true);
    expect(await subscriptions.recordedIds()).toEqual(expect.arrayContaining([older, newer]));
    expect(await subscriptions.latestFor(callback)).toMatchObject({ id: newer, callbackUrl: callback });
    await subscriptions.forget(newer);
    expect(await subscriptions.isRecorded(newer)).toBe(false);
    expect((await subscriptions.latestFor(callback))?.id).toBe(older);
    await subscriptions.forget(older);
    expect(await subscriptions.recordedIds()).not.toContain(older);
  });
});
