import { eventDedupeKey, isDeauthorization, stravaEventSchema } from './strava-event';

const create = {
  aspect_type: 'create',
  event_time: 1_741_000_000,
  object_id: 12_345_678_901,
  object_type: 'activity',
  owner_id: 134_815,
  subscription_id: 120_475,
  updates: {},
};

describe('Strava events', () => {
  it('gives a retried delivery the same key, whatever the order of its updates', () => {
    const a = stravaEventSchema.parse({ ...create, aspect_type: 'update', updates: { title: 'Hills', type: 'Run' } });
    const b = stravaEventSchema.parse({ ...create, aspect_type: 'update', updates: { type: 'Run', title: 'Hills' } });
    expect(eventDedupeKey(a)).toBe(eventDedupeKey(b));
  });

  it('gives different events different keys', () => {
    const keys = [
      create,
      { ...create, aspect_type: 'update', updates: { title: 'A' } },
      { ...create, aspect_type: 'update', updates: { title: 'B' } },
      { ...create, event_time: create.event_time + 1 },
      { ...create, object_id: 1 },
    ].map((event) => eventDedupeKey(stravaEventSchema.parse(event)));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).not.toContain(':');
  });

  it('recognises a deauthorization ("false" is a string) and nothing else', () => {
    const deauth = stravaEventSchema.parse({
      ...create,
      object_type: 'athlete',
      object_id: 134_815,
      aspect_type: 'update',
      updates: { authorized: 'false' },
    });
    expect(isDeauthorization(deauth)).toBe(true);
    expect(
      isDeauthorization(
        stravaEventSchema.parse({ ...create, object_type: 'athlete', aspect_type: 'update', updates: { authorized: 'true' } }),
      ),
    ).toBe(false);
    expect(isDeauthorization(stravaEventSchema.parse({ ...create, updates: { authorized: 'false' } }))).toBe(false);
  });

  it('refuses what is not a Strava event', () => {
    expect(stravaEventSchema.safeParse({ ...create, object_type: 'club' }).success).toBe(false);
    expect(stravaEventSchema.safeParse({ ...create, owner_id: 'me' }).success).toBe(false);
    expect(stravaEventSchema.safeParse({ ...create, event_time: undefined }).success).toBe(false);
  });
});
