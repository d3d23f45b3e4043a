import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MappedRun } from '@deload/domain';
import { IngestModule, RunIngestService } from '@deload/ingest';
import { PainReportEntity, UserEntity } from '@deload/persistence';
import { JobQueue, QueueModule } from '@deload/queue';
import { uniqueEmail } from '../../../test/support/sessions';
import { ownRedisPrefix } from '../../../test/support/test-env';
import { PainReportsService } from './pain-reports.service';
import { integrationModule } from '../../../test/support/integration-module';

const NOW = Date.now();

/** A run as the Strava sync maps it; `hoursAgo` places its start. */
function stravaRun(externalId: string, description: string | undefined, hoursAgo = 3): MappedRun {
  return {
    source: 'strava',
    externalId,
    sport: 'run',
    name: 'Morning Run',
    description,
    startUtc: new Date(NOW - hoursAgo * 3600_000),
    utcOffsetS: 0,
    distanceM: 10_000,
    movingS: 3_000,
  };
}

describe('pain tags and check-ins on the ingest path (RunIngestService)', () => {
  let app: INestApplicationContext;
  let ingest: RunIngestService;
  let db: DataSource;

  beforeAll(async () => {
    app = await integrationModule([QueueModule, IngestModule], { env: ownRedisPrefix('pain-intake') });
    ingest = app.get(RunIngestService);
    db = app.get(DataSource);
  });
  afterAll(() => app.close());

  async function runner(painCheckin: UserEntity['painCheckin'] = 'auto'): Promise<string> {
    return (await db.getRepository(UserEntity).save({ email: uniqueEmail(), painCheckin })).id;
  }
  const reportsOf = (userId: string) => db.getRepository(PainReportEntity).findBy({ userId });

  it('reads the tag with the run, follows edits of the description, and never duplicates', async () => {
    const userId = await runner();
    const [first] = await ingest.upsertRuns(userId, [stravaRun('501', 'Easy. ITB from 4k, walked home')]);
    expect(await reportsOf(userId)).toEqual([
      expect.objectContaining({ runId: first.runId, hasPain: true, location: 'lateral_knee', onsetM: 4000, source: 'strava_tag' }),
    ]);
    expect((await ingest.upsertRuns(userId, [stravaRun('501', 'Easy. ITB from 4k, walked home')]))[0].status).toBe('duplicate');
    expect((await ingest.upsertRuns(userId, [stravaRun('501', 'Easy. ITB from 3k actually')]))[0].status).toBe('updated');
    expect(await reportsOf(userId)).toEqual([expect.objectContaining({ onsetM: 3000, note: 'ITB from 3k actually' })]);
    await ingest.upsertRuns(userId, [stravaRun('501', 'Easy run')]);
    expect(await reportsOf(userId)).toEqual([]);
  });

  it('keeps what the runner reported on purpose when the description changes later', async () => {
    const userId = await runner();
    const [run] = await ingest.upsertRuns(userId, [stravaRun('601', 'knee hurt from 3 mi')]);
    await app.get(PainReportsService).record(userId, run.runId, { hasPain: true, location: 'hip', onsetM: 2000 }, 'web');
    await ingest.upsertRuns(userId, [stravaRun('601', 'ITB from 6k')]);
    expect(await reportsOf(userId)).toEqual([expect.objectContaining({ location: 'hip', onsetM: 2000, source: 'web' })]);
  });

  it('queues a check-in for a new recent run of a runner who wants them, never for a backfilled one', async () => {
    const userId = await runner('on');
    const [recent, old] = await ingest.upsertRuns(userId, [stravaRun('701', undefined, 2), stravaRun('702', undefined, 24 * 30)]);
    const queue = app.get(JobQueue).queue('pain-checkin');
    expect((await queue.getJob(`checkin-${recent.runId}`))?.data).toEqual({ runId: recent.runId });
    expect(await queue.getJob(`checkin-${old.runId}`)).toBeUndefined();
    expect((await ingest.upsertRuns(userId, [stravaRun('701', 'edited title', 2)]))[0].status).toBe('updated');
    const queued = (await queue.getJobs(['delayed', 'waiting'])).filter((job) => [recent.runId, old.runId].includes(job.data.runId));
    expect(queued.map((job) => job.id)).toEqual([`checkin-${recent.runId}`]);
    const quiet = await runner('auto');
    const [unasked] = await ingest.upsertRuns(quiet, [stravaRun('703', undefined, 2)]);
    expect(await queue.getJob(`checkin-${unasked.runId}`)).toBeUndefined();
  });
});
