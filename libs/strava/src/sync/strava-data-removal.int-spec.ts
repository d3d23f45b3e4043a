import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { RunsRepository } from '@deload/persistence';
import { startStravaContext, StravaContext } from '../../../../test/support/strava-context';
import { waitFor } from '../../../../test/support/wait';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { StravaDataRemoval } from './strava-data-removal.service';
import { StravaShoes } from './strava-shoes.service';

/** Strava data leaves when the athlete does, also when a sync was half-way through at that moment. */
describe('Strava data removal against syncs in flight', () => {
  let context: StravaContext;
  let dataSource: DataSource;

  const stravaShoes = async (userId: string) =>
    Number((await dataSource.query(`SELECT count(*) FROM shoes WHERE user_id = $1 AND source = 'strava'`, [userId]))[0].count);

  beforeAll(async () => {
    context = await startStravaContext();
    dataSource = context.app.get(DataSource);
  });

  afterAll(() => context?.close());

  it('a refresh that began before a deauthorization writes no shoe after it', async () => {
    const { athleteId, userId, connection } = await context.connectedAthlete();
    context.fake.addGear(athleteId, { id: 'g41', name: 'Daily pair', distance: 300_000 });
    await context.app.get(StravaDataRemoval).removeAthleteData(userId);

    // `connection` is what the job loaded before the removal; Strava itself still answers.
    await expect(context.app.get(StravaShoes).refresh(connection, 'background')).rejects.toThrow(StravaAccessRevokedError);
    expect(context.fake.count('GET /api/v3/athlete')).toBeGreaterThan(0);
    expect(await stravaShoes(userId)).toBe(0);
  });

  it('a daily refresh of an athlete who revoked access at Strava fails at once instead of retrying', async () => {
    const { athleteId, userId } = await context.connectedAthlete();
    context.fake.revokeAccess(athleteId);
    await expect(context.app.get(StravaShoes).refreshForUser(userId)).rejects.toThrow(UnrecoverableError);
  });

  it('a write waiting for a removal in progress gives up once the removal commits', async () => {
    const { userId } = await context.connectedAthlete();
    const removal = dataSource.createQueryRunner();
    await removal.connect();
    await removal.startTransaction();
    let wrote = false;
    try {
      await context.app.get(RunsRepository).lockRunnerData(userId, removal.manager);
      await context.app.get(StravaConnections).remove(removal.manager, userId);
      const write = context.app.get(StravaConnections).whileConnected(userId, async () => {
        wrote = true;
      });
      const settled = write.then(
        () => 'wrote',
        (error: unknown) => error,
      );
      await waitFor(
        'the write to wait for the runner lock',
        async () =>
          Number((await dataSource.query(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0].count) > 0,
      );
      await removal.commitTransaction();
      expect(await settled).toBeInstanceOf(StravaAccessRevokedError);
      expect(wrote).toBe(false);
    } finally {
      if (removal.isTransactionActive) await removal.rollbackTransaction();
      await removal.release();
    }
  });
});
