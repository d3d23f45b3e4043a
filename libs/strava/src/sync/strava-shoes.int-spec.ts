import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { startStravaContext, StravaContext } from '../../../../test/support/strava-context';
import { ShoesRepository } from '@deload/persistence';
import { RedisClient } from '@deload/queue';
import { DAILY_JOB_GRACE_DAYS, GEAR_REFRESH_DAYS, StravaShoes } from './strava-shoes.service';

describe('StravaShoes against the fake Strava', () => {
  let context: StravaContext;
  let shoes: StravaShoes;

  const stored = async (userId: string) =>
    context.app
      .get(DataSource)
      .query(
        `SELECT external_id, name, reported_distance_m, retire_threshold_m, retired FROM shoes WHERE user_id = $1 AND source = 'strava' ORDER BY external_id`,
        [userId],
      );
  /** Forgets that the shoe's details were read this week, so the next refresh reads them (and its alert distance) again. */
  const redisDetailsExpire = async (userId: string, gearId: string) => {
    const redis = context.app.get(RedisClient);
    await redis.redis.del(redis.key('strava', 'gear-checked', userId, gearId));
  };
  const gearRequests = () => context.fake.count('GET /api/v3/gear/{id}');
  const athleteRequests = () => context.fake.count('GET /api/v3/athlete');

  beforeAll(async () => {
    context = await startStravaContext();
    shoes = context.app.get(StravaShoes);
  });

  afterAll(() => context?.close());

  it('stores the athlete’s shoes with their alert distance, asking for details once a month', async () => {
    const { athleteId, userId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g11', name: 'Pegasus 40', nickname: 'Daily', distance: 412_000, notification_distance: 800 });
    context.fake.addGear(athleteId, { id: 'g12', name: 'Vaporfly 3', distance: 90_000 });
    context.fake.addGear(athleteId, { id: 'b13', name: 'Gravel bike', distance: 3_000_000 });
    const [gear, athlete] = [gearRequests(), athleteRequests()];

    expect(await shoes.refresh(connection, 'background')).toBe(3);
    expect(gearRequests() - gear).toBe(2);
    expect(await stored(userId)).toEqual([
      { external_id: 'g11', name: 'Daily', reported_distance_m: 412_000, retire_threshold_m: 800_000, retired: false },
      { external_id: 'g12', name: 'Vaporfly 3', reported_distance_m: 90_000, retire_threshold_m: null, retired: false },
    ]);

    context.fake.athletes.get(athleteId)!.gear.get('g11')!.distance = 430_000;
    expect(await shoes.refresh(connection, 'background')).toBe(1);
    expect(athleteRequests() - athlete).toBe(2);
    expect((await stored(userId))[0]).toMatchObject({ reported_distance_m: 430_000, retire_threshold_m: 800_000 });
  });

  it('learns that a shoe was retired when it leaves the athlete’s list', async () => {
    const { athleteId, userId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g21', name: 'Old pair', distance: 790_000 });
    await shoes.refresh(connection, 'background');
    context.fake.athletes.get(athleteId)!.gear.get('g21')!.retired = true;
    expect(await shoes.refresh(connection, 'background')).toBe(2);
    expect(await stored(userId)).toEqual([
      { external_id: 'g21', name: 'Old pair', reported_distance_m: 790_000, retire_threshold_m: null, retired: true },
    ]);
  });

  it('keeps the name and retire distance the runner changed in Deload, and still takes Strava’s distance', async () => {
    const { athleteId, userId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g41', name: 'Pegasus 40', distance: 200_000, notification_distance: 700 });
    await shoes.refresh(connection, 'background');
    const repository = context.app.get(ShoesRepository);
    const [shoe] = await repository.ofUser(userId);
    expect(shoe).toMatchObject({ brand: 'Pegasus', model: '40' });
    await repository.update(shoe.id, userId, { name: 'Blue pair', retireThresholdM: 600_000, locallyEdited: ['name', 'retireThresholdM'] });
    context.fake.athletes.get(athleteId)!.gear.get('g41')!.distance = 260_000;
    await redisDetailsExpire(userId, 'g41');
    await shoes.refresh(connection, 'background');
    expect(await stored(userId)).toEqual([
      { external_id: 'g41', name: 'Blue pair', reported_distance_m: 260_000, retire_threshold_m: 600_000, retired: false },
    ]);
  });

  it('fetches a shoe a run points at only when it is new', async () => {
    const { athleteId, userId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g31', name: 'Trail pair', distance: 10_000, notification_distance: 500 });
    const before = gearRequests();
    await shoes.ensureKnown(connection, 'g31', 'webhook');
    await shoes.ensureKnown(connection, 'g31', 'webhook');
    expect(gearRequests() - before).toBe(1);
    expect(await stored(userId)).toEqual([
      { external_id: 'g31', name: 'Trail pair', reported_distance_m: 10_000, retire_threshold_m: 500_000, retired: false },
    ]);
  });

  it('queues, once a day, a refresh only for runners whose shoes were not read in a month', async () => {
    const { userId } = await context.connectedAthlete();
    const { userId: freshUserId } = await context.connectedAthlete();
    const { userId: staleUserId } = await context.connectedAthlete();
    await shoes.markRefreshed(freshUserId, Date.now() - 86_400_000);
    await shoes.markRefreshed(staleUserId, Date.now() - (GEAR_REFRESH_DAYS + DAILY_JOB_GRACE_DAYS + 1) * 86_400_000);
    const queue: Queue = context.app.get(getQueueToken('strava-gear'), { strict: false });
    const queued = await shoes.queueDailyRefresh('2031-05-04');
    expect(queued).toBeGreaterThanOrEqual(2);
    await shoes.queueDailyRefresh('2031-05-04');
    const job = await queue.getJob(`strava-gear-${userId}-2031-05-04`);
    expect(job?.data).toEqual({ userId, day: '2031-05-04' });
    expect(await queue.getJob(`strava-gear-${staleUserId}-2031-05-04`)).toBeDefined();
    expect(await queue.getJob(`strava-gear-${freshUserId}-2031-05-04`)).toBeUndefined();
    expect((await queue.getJobs(['waiting'])).filter((j) => j.data.userId === userId)).toHaveLength(1);
  });

  it('reads a runner’s shoe list when it is due, then not again within the month', async () => {
    const { athleteId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g51', name: 'Rebel 4', distance: 30_000 });
    const athlete = athleteRequests();
    expect(await shoes.refreshIfDue(connection, 'spare')).toBe(2);
    expect(await shoes.refreshIfDue(connection, 'spare')).toBe(0);
    expect(athleteRequests() - athlete).toBe(1);
  });
});
