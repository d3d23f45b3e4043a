import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, MappedRun } from '@deload/domain';
import { RunEntity, ShoeEntity, UserEntity } from '@deload/persistence';
import { JobQueue, QueueModule } from '@deload/queue';
import { uniqueEmail } from '../../../test/support/sessions';
import { integrationModule } from '../../../test/support/integration-module';
import { IngestModule } from './ingest.module';
import { RunEdits } from './run-edits.service';
import { RunIngestService } from './run-ingest.service';

function activity(source: MappedRun['source'], externalId: string, overrides: Partial<MappedRun> = {}): MappedRun {
  return {
    source,
    externalId,
    sport: 'run',
    startUtc: new Date('2025-03-02T06:10:00Z'),
    utcOffsetS: 3600,
    distanceM: 10_230,
    movingS: 3_120,
    ...overrides,
  };
}

jest.setTimeout(30_000);

describe('RunEdits: what a runner changes on their runs, against PostgreSQL', () => {
  let app: INestApplicationContext;
  let edits: RunEdits;
  let ingest: RunIngestService;
  let dataSource: DataSource;

  beforeAll(async () => {
    app = await integrationModule([QueueModule, IngestModule]);
    edits = app.get(RunEdits);
    ingest = app.get(RunIngestService);
    dataSource = app.get(DataSource);
  });
  afterAll(() => app.close());

  const newRunner = async () => (await dataSource.getRepository(UserEntity).save({ email: uniqueEmail() })).id;
  const runOf = (id: string) => dataSource.getRepository(RunEntity).findOneBy({ id });
  const newShoe = (userId: string) =>
    dataSource.getRepository(ShoeEntity).save({ userId, source: 'manual', externalId: `s-${Date.now()}-${Math.random()}`, name: 'Pair' });
  async function evaluationsQueuedFor(userId: string): Promise<number> {
    const jobs = await app.get(JobQueue).queue('evaluate').getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    return jobs.filter((job) => job?.data.userId === userId).length;
  }
  async function refusal(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    return error instanceof DomainError ? error.kind : String(error);
  }

  it('deletes a run for good: the Strava sync does not bring it back, a file uploaded again does', async () => {
    const userId = await newRunner();
    const [stored] = await ingest.upsertRuns(userId, [activity('strava', '5001')]);
    await ingest.upsertRuns(userId, [activity('fit', 'fit-5001')]);
    await app.get(JobQueue).queue('evaluate').drain();
    expect(await refusal(edits.deleteRun(await newRunner(), stored.runId))).toBe('forbidden');
    await edits.deleteRun(userId, stored.runId);
    expect(await runOf(stored.runId)).toBeNull();
    expect(await evaluationsQueuedFor(userId)).toBeGreaterThan(0);
    expect(await ingest.upsertRuns(userId, [activity('strava', '5001', { name: 'Edited on Strava' })])).toEqual([]);
    expect(await dataSource.getRepository(RunEntity).countBy({ userId })).toBe(0);
    const [again] = await ingest.upsertRuns(userId, [activity('fit', 'fit-5001')]);
    expect(again.status).toBe('inserted');
    expect(await refusal(edits.deleteRun(userId, 'not-a-uuid'))).toBe('forbidden');
  });

  it('marks a run "not a run" so no source makes it count again, and takes that back', async () => {
    const userId = await newRunner();
    const [stored] = await ingest.upsertRuns(userId, [activity('strava', '6001')]);
    await edits.markNotARun(userId, stored.runId, true);
    const [resent] = await ingest.upsertRuns(userId, [activity('strava', '6001', { name: 'Renamed on Strava' })]);
    expect(resent.status).toBe('updated');
    expect(await runOf(stored.runId)).toMatchObject({ isRun: false, notARun: true, name: 'Renamed on Strava' });
    await edits.markNotARun(userId, stored.runId, false);
    expect(await runOf(stored.runId)).toMatchObject({ isRun: true, notARun: false });
    expect(await refusal(edits.markNotARun(await newRunner(), stored.runId, true))).toBe('forbidden');
  });

  it('puts runs on one of the runner’s shoes, all or nothing', async () => {
    const userId = await newRunner();
    const otherId = await newRunner();
    const shoe = await newShoe(userId);
    const foreignShoe = await newShoe(otherId);
    const [a, b] = await ingest.upsertRuns(userId, [
      activity('fit', 'f-a'),
      activity('fit', 'f-b', { startUtc: new Date('2025-03-04T06:00:00Z') }),
    ]);
    const [theirs] = await ingest.upsertRuns(otherId, [activity('fit', 'f-c')]);
    expect(await edits.assignShoe(userId, [a.runId, b.runId, a.runId], shoe.id)).toBe(2);
    expect((await runOf(b.runId))?.shoeId).toBe(shoe.id);
    expect(await refusal(edits.assignShoe(userId, [a.runId, theirs.runId], null))).toBe('forbidden');
    expect((await runOf(a.runId))?.shoeId).toBe(shoe.id);
    expect(await refusal(edits.assignShoe(userId, [a.runId], foreignShoe.id))).toBe('invalid');
    expect(await refusal(edits.assignShoe(userId, [a.runId], '00000000-0000-4000-8000-000000000000'))).toBe('invalid');
    expect(await refusal(edits.assignShoe(userId, [], shoe.id))).toBe('invalid');
    expect(await edits.assignShoe(userId, [a.runId], null)).toBe(1);
    expect((await runOf(a.runId))?.shoeId).toBeNull();
  });
});
