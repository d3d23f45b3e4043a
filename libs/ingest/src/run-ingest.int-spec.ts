import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MappedRun } from '@deload/domain';
import { RunEntity, RunSourceEntity, ShoeEntity, UserEntity } from '@deload/persistence';
import { JobQueue, QueueModule } from '@deload/queue';
import { uniqueEmail } from '../../../test/support/sessions';
import { IngestModule } from './ingest.module';
import { RunIngestService } from './run-ingest.service';
import { integrationModule } from '../../../test/support/integration-module';

function stravaRun(overrides: Partial<MappedRun> = {}): MappedRun {
  return {
    source: 'strava',
    externalId: '9001',
    sport: 'run',
    name: 'Morning Run',
    description: 'easy, knee ok',
    startUtc: new Date('2025-03-02T06:10:00Z'),
    utcOffsetS: 3600,
    distanceM: 10_230,
    movingS: 3_120,
    elapsedS: 3_300,
    gearRef: 'g123',
    ...overrides,
  };
}

jest.setTimeout(30_000);

describe('RunIngestService against PostgreSQL', () => {
  let app: INestApplicationContext;
  let ingest: RunIngestService;
  let dataSource: DataSource;

  beforeAll(async () => {
    app = await integrationModule([QueueModule, IngestModule]);
    ingest = app.get(RunIngestService);
    dataSource = app.get(DataSource);
  });

  afterAll(() => app.close());

  async function newRunner(): Promise<string> {
    return (await dataSource.getRepository(UserEntity).save({ email: uniqueEmail() })).id;
  }

  const runsOf = (userId: string) => dataSource.getRepository(RunEntity).findBy({ userId });
  const sourcesOf = (userId: string) => dataSource.getRepository(RunSourceEntity).findBy({ userId });

  async function evaluationsQueuedFor(userId: string): Promise<number> {
    const jobs = await app.get(JobQueue).queue('evaluate').getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    return jobs.filter((job) => job?.data.userId === userId).length;
  }

  it('inserts a run, then finds it again as a duplicate', async () => {
    const userId = await newRunner();
    expect(await evaluationsQueuedFor(userId)).toBe(0);
    const [first] = await ingest.upsertRuns(userId, [stravaRun()]);
    expect(await evaluationsQueuedFor(userId)).toBe(1);
    const [again] = await ingest.upsertRuns(userId, [stravaRun()]);
    expect(first.status).toBe('inserted');
    expect(again).toMatchObject({ status: 'duplicate', runId: first.runId });
    expect(await runsOf(userId)).toHaveLength(1);
  });

  it('updates a run when its own source reports it again with changes', async () => {
    const userId = await newRunner();
    const [first] = await ingest.upsertRuns(userId, [stravaRun()]);
    const [edited] = await ingest.upsertRuns(userId, [stravaRun({ description: 'knee hurt at 6 km', distanceM: 10_400 })]);
    expect(edited).toMatchObject({ status: 'updated', runId: first.runId });
    const [stored] = await runsOf(userId);
    expect(stored).toMatchObject({ description: 'knee hurt at 6 km', distanceM: 10_400 });
  });

  it('stores a FIT file and a Strava activity of the same outing as one run with two sources', async () => {
    const userId = await newRunner();
    const [fromStrava] = await ingest.upsertRuns(userId, [stravaRun({ avgCadenceSpm: undefined })]);
    const fit: MappedRun = {
      source: 'fit',
      externalId: '3915525118-1527406381-0',
      sport: 'run',
      startUtc: new Date('2025-03-02T06:11:30Z'),
      utcOffsetS: 3600,
      distanceM: 10_180,
      avgCadenceSpm: 168,
      device: 'Garmin Forerunner 965',
    };
    const [fromFit] = await ingest.upsertRuns(userId, [fit]);
    expect(fromFit).toMatchObject({ status: 'merged', runId: fromStrava.runId });
    const [run] = await runsOf(userId);
    expect(run).toMatchObject({
      source: 'strava',
      distanceM: 10_230,
      avgCadenceSpm: 168,
      device: 'Garmin Forerunner 965',
      name: 'Morning Run',
    });
    expect((await sourcesOf(userId)).map((row) => `${row.source}:${row.externalId}`).sort()).toEqual([
      'fit:3915525118-1527406381-0',
      'strava:9001',
    ]);
    const [fitAgain] = await ingest.upsertRuns(userId, [fit]);
    expect(fitAgain).toMatchObject({ status: 'duplicate', runId: fromStrava.runId });
  });

  it('keeps outings apart when start or distance differ by more than the match rule allows', async () => {
    const userId = await newRunner();
    await ingest.upsertRuns(userId, [stravaRun()]);
    const later = { ...stravaRun(), source: 'fit' as const, externalId: 'a', startUtc: new Date('2025-03-02T06:12:01Z') };
    const longer = { ...stravaRun(), source: 'fit' as const, externalId: 'b', distanceM: 10_230 * 1.031 };
    const outcomes = await ingest.upsertRuns(userId, [later, longer]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['inserted', 'inserted']);
    expect(await runsOf(userId)).toHaveLength(3);
  });

  it('links a gear reference to a shoe, creating it once', async () => {
    const userId = await newRunner();
    await ingest.upsertRuns(userId, [stravaRun(), stravaRun({ externalId: '9002', startUtc: new Date('2025-03-03T06:10:00Z') })], {
      gearNames: { g123: 'Pegasus 40' },
    });
    const shoes = await dataSource.getRepository(ShoeEntity).findBy({ userId });
    expect(shoes).toEqual([expect.objectContaining({ source: 'strava', externalId: 'g123', name: 'Pegasus 40' })]);
    expect((await runsOf(userId)).every((run) => run.shoeId === shoes[0].id)).toBe(true);
  });

  it('gives a new run without gear the default shoe of its sport, and leaves stored runs and runs with gear alone', async () => {
    const userId = await newRunner();
    const shoes = dataSource.getRepository(ShoeEntity);
    const road = await shoes.save(shoes.create({ userId, source: 'manual', externalId: 'road', name: 'Road', defaultForSports: ['run'] }));
    const trail = await shoes.save(
      shoes.create({ userId, source: 'manual', externalId: 'trail', name: 'Trail', defaultForSports: ['trail_run'] }),
    );
    const day = (date: string) => new Date(`${date}T06:10:00Z`);
    const fit = (externalId: string, date: string, sport: MappedRun['sport']) =>
      stravaRun({ source: 'fit', externalId, startUtc: day(date), sport, gearRef: undefined });
    await ingest.upsertRuns(userId, [
      fit('f1', '2025-03-01', 'run'),
      fit('f2', '2025-03-02', 'trail_run'),
      fit('f3', '2025-03-03', 'walk'),
      stravaRun({ externalId: 's4', startUtc: day('2025-03-04') }),
    ]);
    const shoeOf = async () =>
      Object.fromEntries((await runsOf(userId)).map((run) => [run.startUtc.toISOString().slice(0, 10), run.shoeId]));
    const gear = (await shoes.findOneByOrFail({ userId, source: 'strava' })).id;
    expect(await shoeOf()).toEqual({ '2025-03-01': road.id, '2025-03-02': trail.id, '2025-03-03': null, '2025-03-04': gear });

    await shoes.update(road.id, { defaultForSports: [] });
    await shoes.update(trail.id, { defaultForSports: ['run'] });
    await ingest.upsertRuns(userId, [fit('f1', '2025-03-01', 'run'), fit('f5', '2025-03-05', 'run')]);
    expect(await shoeOf()).toMatchObject({ '2025-03-01': road.id, '2025-03-05': trail.id });
  });

  it('keeps non-running activities, marked as not runs', async () => {
    const userId = await newRunner();
    await ingest.upsertRuns(userId, [stravaRun({ sport: 'ride', externalId: 'r1' })]);
    expect(await runsOf(userId)).toEqual([expect.objectContaining({ sport: 'ride', isRun: false })]);
  });

  it('stores one run when the same activity arrives twice at once', async () => {
    const userId = await newRunner();
    const outcomes = await Promise.all([1, 2, 3].map(() => ingest.upsertRuns(userId, [stravaRun()])));
    expect(outcomes.flat().filter((outcome) => outcome.status === 'inserted')).toHaveLength(1);
    expect(await runsOf(userId)).toHaveLength(1);
  });

  describe('removeSource', () => {
    it('deletes a run only one source had', async () => {
      const userId = await newRunner();
      await ingest.upsertRuns(userId, [stravaRun(), stravaRun({ externalId: '9002', startUtc: new Date('2025-03-05T06:10:00Z') })]);
      expect(await ingest.removeSource(userId, 'strava', ['9001'])).toEqual({ sourcesRemoved: 1, runsDeleted: 1, runsKept: 0 });
      expect((await runsOf(userId)).map((run) => run.externalId)).toEqual(['9002']);
    });

    it('keeps a run another source still has, now shown from that source', async () => {
      const userId = await newRunner();
      const [strava] = await ingest.upsertRuns(userId, [stravaRun()]);
      await ingest.upsertRuns(userId, [{ ...stravaRun(), source: 'fit', externalId: 'fit-1', startUtc: new Date('2025-03-02T06:10:30Z') }]);
      expect(await ingest.removeSource(userId, 'strava')).toEqual({ sourcesRemoved: 1, runsDeleted: 0, runsKept: 1 });
      const [run] = await runsOf(userId);
      expect(run).toMatchObject({ id: strava.runId, source: 'fit', externalId: 'fit-1' });
      expect((await sourcesOf(userId)).map((row) => row.source)).toEqual(['fit']);
      // Uploading the FIT file again finds the run through its remaining source.
      const [again] = await ingest.upsertRuns(userId, [
        { ...stravaRun(), source: 'fit', externalId: 'fit-1', startUtc: new Date('2025-03-02T06:10:30Z') },
      ]);
      expect(again).toMatchObject({ runId: strava.runId });
    });

    it('removes every run of the source when no ids are given, and nothing of other runners', async () => {
      const userId = await newRunner();
      const other = await newRunner();
      const runs = [1, 2, 3].map((day) => stravaRun({ externalId: `s${day}`, startUtc: new Date(`2025-03-0${day}T06:10:00Z`) }));
      await ingest.upsertRuns(userId, runs);
      await ingest.upsertRuns(other, runs);
      expect(await ingest.removeSource(userId, 'strava')).toEqual({ sourcesRemoved: 3, runsDeleted: 3, runsKept: 0 });
      expect(await runsOf(userId)).toEqual([]);
      expect(await runsOf(other)).toHaveLength(3);
      expect(await ingest.removeSource(userId, 'strava')).toEqual({ sourcesRemoved: 0, runsDeleted: 0, runsKept: 0 });
    });
  });
});
