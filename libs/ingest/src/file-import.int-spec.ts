import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportFileEntity, RunEntity, ShoeEntity, UserEntity } from '@deload/persistence';
import { JobQueue, QueueModule } from '@deload/queue';
import { gpxTrack, stravaExportFiles, tempDir, traversalZipBytes, writeFolder, writeZip } from '../../../test/support/archives';
import { buildFitRun } from '../../../test/support/fit-files';
import { uniqueEmail } from '../../../test/support/sessions';
import { fixturePath } from '../../../test/support/shared-fixtures';
import { FileImportService } from './file-import.service';
import { FileImportModule } from './ingest.module';
import { integrationModule } from '../../../test/support/integration-module';

jest.setTimeout(30_000);

describe('FileImportService against PostgreSQL', () => {
  let app: INestApplicationContext;
  let files: FileImportService;
  let dataSource: DataSource;
  const dir = tempDir('import');

  beforeAll(async () => {
    app = await integrationModule([QueueModule, FileImportModule]);
    files = app.get(FileImportService);
    dataSource = app.get(DataSource);
  });

  afterAll(() => app.close());

  const newRunner = async () => (await dataSource.getRepository(UserEntity).save({ email: uniqueEmail() })).id;
  const runsOf = (userId: string) => dataSource.getRepository(RunEntity).find({ where: { userId }, order: { startUtc: 'ASC' } });
  const importRowsOf = (userId: string) =>
    dataSource.getRepository(ImportFileEntity).find({ where: { userId }, order: { createdAt: 'ASC' } });

  function write(name: string, content: Uint8Array | string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  const importOne = (userId: string, path: string) => files.importFile(userId, path, { filename: path, channel: 'cli' });

  it('imports a real FIT file once; the second time it is a duplicate', async () => {
    const userId = await newRunner();
    const path = fixturePath('fit', 'running-with-developer-data.fit');
    const first = await importOne(userId, path);
    const second = await importOne(userId, path);
    expect(first).toMatchObject({ status: 'imported', runs: [expect.objectContaining({ status: 'inserted', isRun: true })] });
    expect(second).toMatchObject({
      status: 'duplicate',
      runs: [expect.objectContaining({ status: 'duplicate', runId: first.runs[0].runId })],
    });
    const [run] = await runsOf(userId);
    expect(run).toMatchObject({ source: 'fit', sport: 'run', utcOffsetS: 7200, importFileId: first.importFileId });
    expect(run.splits).toHaveLength(6);
    const evaluations = await app.get(JobQueue).queue('evaluate').getJobs(['waiting', 'active', 'completed', 'delayed']);
    expect(evaluations.filter((job) => job?.data.userId === userId).map((job) => job.data)).toEqual([{ userId, reason: 'runs' }]);
    expect((await importRowsOf(userId)).map((row) => [row.status, row.runsImported, row.channel])).toEqual([
      ['imported', 1, 'cli'],
      ['duplicate', 0, 'cli'],
    ]);
  });

  it('imports a gzipped FIT file and every running session of a multisport file', async () => {
    const userId = await newRunner();
    const gz = write('tri.fit.gz', gzipSync(readFileSync(fixturePath('fit', 'activity-large-fenxi2-multisport.fit'))));
    const result = await importOne(userId, gz);
    expect(result.status).toBe('imported');
    const runs = await runsOf(userId);
    expect(runs).toHaveLength(7);
    expect(runs.filter((run) => run.isRun).map((run) => run.sport)).toEqual(['run', 'run']);
  });

  describe('bad input: rejected with a reason, nothing stored', () => {
    const truncatedEarly = () =>
      buildFitRun({ start: new Date('2025-01-01T08:00:00Z'), distanceM: 5_000, durationS: 1_500 }).subarray(0, 40);
    it.each([
      ['an empty file', () => new Uint8Array(0), /^empty file/],
      ['random bytes', () => randomBytes(2048), /^not a FIT file/],
      [
        'a PNG renamed .fit',
        () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(64)]),
        /^not a FIT file \(it looks like a PNG image\)$/,
      ],
      ['a FIT file cut off before its data', truncatedEarly, /^truncated: /],
      ['a FIT file with a bad CRC', () => readFileSync(fixturePath('fit', 'activity-filecrc.fit')), /^bad CRC: /],
      ['a gzip bomb', () => gzipSync(Buffer.alloc(80 * 1024 * 1024)), /^too large: the \.gz unpacks to more than 64 MB$/],
    ])('%s', async (_what, content, reason) => {
      const userId = await newRunner();
      const path = write(`bad-${randomBytes(4).toString('hex')}.fit`, content());
      const result = await importOne(userId, path);
      expect(result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason), runs: [] });
      expect(await runsOf(userId)).toEqual([]);
      expect(await importRowsOf(userId)).toEqual([expect.objectContaining({ status: 'rejected', error: result.reason, runsImported: 0 })]);
    });
  });

  describe('zip archives', () => {
    it('imports each activity file in a zip, rejecting only the broken one', async () => {
      const userId = await newRunner();
      const zip = await writeZip(dir, `runs-${randomBytes(3).toString('hex')}.zip`, {
        'a.fit': buildFitRun({ start: new Date('2025-02-01T08:00:00Z'), distanceM: 8_000, durationS: 2_400, serialNumber: 1 }),
        'nested/b.fit.gz': gzipSync(
          buildFitRun({ start: new Date('2025-02-03T08:00:00Z'), distanceM: 6_000, durationS: 1_800, serialNumber: 1 }),
        ),
        'broken.fit': randomBytes(100),
        'notes.txt': 'not an activity',
      });
      const result = await importOne(userId, zip);
      expect(result.status).toBe('imported');
      expect(result.entries!.map((entry) => [entry.filename.split('/').slice(-1)[0], entry.status])).toEqual([
        ['a.fit', 'imported'],
        ['b.fit.gz', 'imported'],
        ['broken.fit', 'rejected'],
      ]);
      expect(await runsOf(userId)).toHaveLength(2);
    });

    it('refuses a zip bomb by total unpacked size before importing anything', async () => {
      const userId = await newRunner();
      const zip = await writeZip(dir, 'bomb.zip', {
        'a.fit': buildFitRun({ start: new Date('2025-02-01T08:00:00Z'), distanceM: 8_000, durationS: 2_400 }),
        'huge.fit': Buffer.alloc(30 * 1024 * 1024),
      });
      const result = await files.importFile(
        userId,
        zip,
        { filename: 'bomb.zip', channel: 'upload' },
        { limits: { maxTotalBytes: 20 * 1024 * 1024 } },
      );
      expect(result).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/^zip bomb refused: its activity files unpack to 30\.\d MB/),
      });
      expect(await runsOf(userId)).toEqual([]);
    });

    it('refuses a zip bomb by entry count', async () => {
      const userId = await newRunner();
      const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`e${i}.fit`, 'x']));
      const zip = await writeZip(dir, 'many.zip', many);
      const result = await files.importFile(userId, zip, { filename: 'many.zip', channel: 'upload' }, { limits: { maxEntries: 20 } });
      expect(result).toMatchObject({ status: 'rejected', reason: 'zip bomb refused: 50 entries, more than the 20 allowed' });
    });

    it('refuses a zip with an entry whose name climbs out of the archive', async () => {
      const userId = await newRunner();
      const zip = write('traversal.zip', await traversalZipBytes());
      const result = await importOne(userId, zip);
      expect(result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^unsafe zip: .*\.\.\/evil\.fit/) });
      expect(await runsOf(userId)).toEqual([]);
    });
  });

  describe('Strava bulk export', () => {
    it('imports every activity of an export zip with its name, description, gear and sport', async () => {
      const userId = await newRunner();
      const zip = await writeZip(dir, `export_${randomBytes(3).toString('hex')}.zip`, stravaExportFiles());
      const result = await importOne(userId, zip);
      expect(result.entries!.map((entry) => entry.status)).toEqual(['imported', 'imported', 'imported', 'imported', 'imported']);
      const runs = await runsOf(userId);
      expect(runs.map((run) => [run.externalId, run.source, run.sport, run.isRun])).toEqual([
        ['1001', 'import', 'run', true],
        ['1002', 'import', 'run', true],
        ['1003', 'import', 'run', true],
        ['1004', 'import', 'run', true],
        ['1005', 'import', 'ride', false],
      ]);
      const [fit, gpx, tcx, manual] = runs;
      expect(fit).toMatchObject({
        name: 'Morning Run',
        description: 'Easy, flat; knee fine',
        distanceM: 10_230,
        utcOffsetS: 3600,
        avgCadenceSpm: 170,
      });
      expect(gpx.distanceM).toBeGreaterThan(1_600);
      expect(gpx.distanceM).toBeLessThan(1_700);
      expect(tcx).toMatchObject({
        description: 'knee hurt at 6 km, stopped',
        distanceM: 5_000,
        movingS: 1_500,
        perceivedExertion: 7,
        device: 'Garmin Forerunner 245',
      });
      expect(manual).toMatchObject({ name: 'Hand-entered jog', distanceM: 5_500, movingS: 1_750 });
      expect(manual.startUtc.toISOString()).toBe('2025-03-08T09:15:00.000Z');
      const shoes = await dataSource.getRepository(ShoeEntity).find({ where: { userId }, order: { name: 'ASC' } });
      expect(shoes.map((shoe) => [shoe.source, shoe.name])).toEqual([
        ['import', 'Pegasus 40'],
        ['import', 'Vaporfly, race pair'],
      ]);
      expect(fit.shoeId).toBe(shoes[0].id);
      expect(tcx.shoeId).toBe(shoes[1].id);

      const again = await importOne(userId, zip);
      expect(again.status).toBe('duplicate');
      expect(await runsOf(userId)).toHaveLength(5);
    });

    it('imports an unpacked export folder the same way', async () => {
      const userId = await newRunner();
      const folder = writeFolder(tempDir('export'), stravaExportFiles());
      const [result] = await files.importPaths(userId, [folder], 'cli');
      expect(result.status).toBe('imported');
      expect(await runsOf(userId)).toHaveLength(5);
    });

    it('refuses an export whose activities.csv lacks columns, storing nothing', async () => {
      const userId = await newRunner();
      const export_ = stravaExportFiles();
      export_['activities.csv'] = 'Activity ID,Activity Name,Activity Type\n1001,Morning Run,Run\n';
      const zip = await writeZip(dir, 'broken-export.zip', export_);
      const result = await importOne(userId, zip);
      expect(result).toMatchObject({
        status: 'rejected',
        reason: 'activities.csv is missing the columns Activity Date, Distance, Filename',
      });
      expect(await runsOf(userId)).toEqual([]);
    });

    it('merges an export activity with the same outing uploaded as a FIT file', async () => {
      const userId = await newRunner();
      const fitPath = write(
        'same.fit',
        buildFitRun({ start: new Date('2025-03-02T06:10:00Z'), distanceM: 10_230, durationS: 3_120, serialNumber: 7 }),
      );
      await importOne(userId, fitPath);
      const zip = await writeZip(dir, `export-merge-${randomBytes(3).toString('hex')}.zip`, stravaExportFiles());
      const result = await importOne(userId, zip);
      expect(result.entries![0].runs[0].status).toBe('merged');
      const runs = await runsOf(userId);
      expect(runs).toHaveLength(5);
      expect(runs[0]).toMatchObject({ source: 'fit', name: 'Morning Run', description: 'Easy, flat; knee fine' });
    });

    it('merges an export activity with the same outing imported before as a lone GPX file', async () => {
      const userId = await newRunner();
      await importOne(userId, write(`lunch-${randomBytes(3).toString('hex')}.gpx`, gpxTrack(new Date('2025-03-04T12:00:00Z'), 60)));
      const zip = await writeZip(dir, `export-gpx-${randomBytes(3).toString('hex')}.zip`, stravaExportFiles());
      const result = await importOne(userId, zip);
      expect(result.entries![1].runs[0].status).toBe('merged');
      expect(await runsOf(userId)).toHaveLength(5);
    });
  });

  it('imports every file of a plain folder', async () => {
    const userId = await newRunner();
    const folder = tempDir('fits');
    copyFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit'), join(folder, 'a.fit'));
    copyFileSync(fixturePath('fit', 'activity-filecrc.fit'), join(folder, 'b.fit'));
    const results = await files.importPaths(userId, [folder], 'cli');
    expect(results.map((result) => result.status).sort()).toEqual(['imported', 'rejected']);
  });
});
