import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportFileEntity, RunEntity, UserEntity } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { gpxTrack, stravaExportFiles, tempDir, writeFolder, writeZip, zipBytes } from '../../../test/support/archives';
import { buildFitRun } from '../../../test/support/fit-files';
import { uniqueEmail } from '../../../test/support/sessions';
import { integrationModule } from '../../../test/support/integration-module';
import { FileImportOptions, FileImportService } from './file-import.service';
import { ImportProgress } from './import-progress';
import { FileImportModule } from './ingest.module';

jest.setTimeout(60_000);

const fixture = (name: string) => readFileSync(join(__dirname, 'formats', 'fixtures', name));
const POLAR_SESSIONS = [
  'training-session-2024-05-02-7012345678-6f1c.json',
  'training-session-2024-05-06-7012340000-c3d4.json',
  'training-session-2024-06-09-7012349999-a1b2.json',
];

/** Apple's export.xml padded with `records` heart-rate samples (~300 bytes each) before the workouts, as real exports are. */
function paddedAppleExport(records: number): string {
  const xml = fixture('apple-health-export.xml').toString('utf8');
  const sample =
    ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch von Ana" unit="count/min" creationDate="2021-05-03 07:40:00 +0200" startDate="2021-05-03 07:39:55 +0200" endDate="2021-05-03 07:39:55 +0200" value="151"/>\n';
  const at = xml.indexOf(' <Workout ');
  return `${xml.slice(0, at)}${sample.repeat(records)}${xml.slice(at)}`;
}

/** A zip whose central directory claims `declared` bytes for its one entry, whatever it holds (a download cut short, a forged header). */
async function zipDeclaring(name: string, content: string, declared: number): Promise<Buffer> {
  const zip = await zipBytes({ [name]: content });
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(declared, central + 24);
  return zip;
}

describe('FileImportService: account exports, told by content', () => {
  let app: INestApplicationContext;
  let files: FileImportService;
  let dataSource: DataSource;
  const dir = tempDir('exports');

  beforeAll(async () => {
    app = await integrationModule([QueueModule, FileImportModule]);
    files = app.get(FileImportService);
    dataSource = app.get(DataSource);
  });

  afterAll(() => app.close());

  const newRunner = async (timezone = 'Europe/Berlin') =>
    (await dataSource.getRepository(UserEntity).save({ email: uniqueEmail(), timezone })).id;
  const runsOf = (userId: string) => dataSource.getRepository(RunEntity).find({ where: { userId }, order: { startUtc: 'ASC' } });
  const importRowsOf = (userId: string) => dataSource.getRepository(ImportFileEntity).find({ where: { userId } });
  const write = (name: string, content: Uint8Array | string) => {
    const path = join(dir, `${randomBytes(3).toString('hex')}-${name}`);
    writeFileSync(path, content);
    return path;
  };
  const importOne = (userId: string, path: string, options: FileImportOptions = {}, channel: 'cli' | 'upload' | 'watch' = 'cli') =>
    files.importFile(userId, path, { filename: path.replace(/^.*\//, ''), channel }, options);

  describe('Strava export, forgiving', () => {
    it('stores rows whose files are missing from the summary, then upgrades them in place when the files arrive', async () => {
      const userId = await newRunner();
      const partial = stravaExportFiles();
      delete partial['activities/1001.fit.gz'];
      delete partial['activities/1003.tcx.gz'];
      const first = await importOne(userId, await writeZip(dir, 'partial-export.zip', partial));
      expect(first.entries!.map((entry) => entry.status)).toEqual(['imported', 'imported', 'imported', 'imported', 'imported']);
      expect(first.entries![0].warnings).toEqual(['activities/1001.fit.gz is missing from the export: stored from its activities.csv row']);
      const summaries = await runsOf(userId);
      expect(summaries.map((run) => run.flags.includes('summary_only'))).toEqual([true, false, true, false, false]);
      expect(summaries[0]).toMatchObject({ distanceM: 10_230, utcOffsetS: 0, avgCadenceSpm: 168 });

      const complete = await importOne(userId, await writeZip(dir, 'full-export.zip', stravaExportFiles()));
      expect(complete.entries!.map((entry) => entry.runs[0]?.status)).toEqual([
        'updated',
        'duplicate',
        'updated',
        'duplicate',
        'duplicate',
      ]);
      const upgraded = await runsOf(userId);
      expect(upgraded).toHaveLength(5);
      expect(upgraded.map((run) => run.id)).toEqual(summaries.map((run) => run.id));
      expect(upgraded[0]).toMatchObject({ utcOffsetS: 3600, avgCadenceSpm: 170, name: 'Morning Run' });
      expect(upgraded[0].flags).not.toContain('summary_only');
      expect(upgraded[2].flags).not.toContain('summary_only');

      // The partial export again: its summaries say nothing new about runs stored from their files.
      const partialAgain = await importOne(userId, await writeZip(dir, 'partial-again.zip', partial));
      expect(partialAgain.status).toBe('duplicate');
      expect(await runsOf(userId)).toEqual(upgraded);
    });

    it('stores a row whose file cannot be read from the row, saying why', async () => {
      const userId = await newRunner();
      const damaged = { ...stravaExportFiles(), 'activities/1003.tcx.gz': randomBytes(200) };
      const result = await importOne(userId, await writeZip(dir, 'damaged-export.zip', damaged));
      expect(result.entries![2]).toMatchObject({
        status: 'imported',
        warnings: [expect.stringMatching(/^activities\/1003\.tcx\.gz could not be read \(.+\): stored from its activities\.csv row$/)],
      });
      const tempo = (await runsOf(userId)).find((run) => run.externalId === '1003')!;
      expect(tempo).toMatchObject({ distanceM: 5_000, perceivedExertion: 7 });
      expect(tempo.flags).toContain('summary_only');
    });

    it('takes an activities.csv alone as summaries, and the FIT uploaded later takes the run over (still one run)', async () => {
      const userId = await newRunner();
      const progress: ImportProgress[] = [];
      const csv = write('activities.csv', stravaExportFiles()['activities.csv']);
      const result = await importOne(userId, csv, { onProgress: (step) => progress.push(step) });
      expect(result.status).toBe('imported');
      expect(progress.map((step) => [step.done, step.total])).toEqual([
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 5],
        [5, 5],
      ]);
      const fit = write(
        'morning.fit',
        buildFitRun({ start: new Date('2025-03-02T06:10:00Z'), distanceM: 10_230, durationS: 3_120, utcOffsetS: 3600, serialNumber: 42 }),
      );
      const upgrade = await importOne(userId, fit);
      expect(upgrade.runs[0].status).toBe('merged');
      const runs = await runsOf(userId);
      expect(runs).toHaveLength(5);
      expect(runs[0]).toMatchObject({ source: 'fit', name: 'Morning Run', utcOffsetS: 3600 });
      expect(runs[0].flags).not.toContain('summary_only');
    });

    it('reads a blank metres column from the display column, and a -0.3 m descent as 0 with a warning', async () => {
      const userId = await newRunner();
      const export_ = stravaExportFiles();
      const csv = (export_['activities.csv'] as string)
        .replace('1800.0,1750.0,5500.0,,,,,,,', '1800.0,1750.0,,,,,,,,')
        .replace('1500.0,1500.0,5000.0,4.5,3.3,20.0,20.0,', '1500.0,1500.0,5000.0,4.5,3.3,20.0,-0.3,');
      const result = await importOne(userId, write('activities.csv', csv));
      const [, , tempo, jog] = result.entries!;
      expect(jog.warnings).toEqual(expect.arrayContaining(['distance read from the display column: 5.5 km']));
      expect(tempo.warnings).toEqual(expect.arrayContaining(['elevation loss -0.3 m is below zero: read as 0 m']));
      const runs = await runsOf(userId);
      expect(runs.find((run) => run.externalId === '1004')!.distanceM).toBeCloseTo(5_500, 3);
      expect(runs.find((run) => run.externalId === '1003')!.elevationLossM).toBe(0);
    });
  });

  describe('Garmin Connect activities CSV', () => {
    it('reads a German export in the runner’s time zone, every line a run of its own', async () => {
      const userId = await newRunner('Europe/Berlin');
      const result = await importOne(userId, write('Activities.csv', fixture('garmin-activities-de.csv')));
      expect(result.status).toBe('imported');
      const runs = await runsOf(userId);
      expect(runs.length).toBe(result.entries!.filter((entry) => entry.status === 'imported').length);
      const morning = runs.find((run) => run.name === 'Morgenlauf')!;
      expect(morning).toMatchObject({ sport: 'run', distanceM: 10_020, utcOffsetS: 7200 });
      expect(morning.startUtc.toISOString()).toBe('2024-05-02T05:10:12.000Z');
      expect(morning.flags).toContain('summary_only');
    });

    it('keeps the same outing from a Garmin CSV and a Polar session as one run', async () => {
      const userId = await newRunner('Europe/Berlin');
      await importOne(userId, write('Activities.csv', fixture('garmin-activities-en.csv')));
      const before = await runsOf(userId);
      const polar = await importOne(userId, write('session.json', fixture(POLAR_SESSIONS[0])));
      expect(polar.entries![0].runs[0].status).toBe('merged');
      expect(await runsOf(userId)).toHaveLength(before.length);
    });

    it('refuses to guess km or mi, saying how to tell it by each way in; takes the unit when told', async () => {
      const csv = [
        'Activity Type,Date,Favorite,Title,Distance,Time',
        'Running,2024-05-01 07:00:00,false,"Run","6.00","00:40:00"',
        'Running,2024-05-03 07:00:00,false,"Run","8.00","00:55:00"',
      ].join('\n');
      const userId = await newRunner();
      const path = write('Activities.csv', csv);
      const cli = await importOne(userId, path);
      expect(cli).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/kilometres or miles.*deload import --units km/) });
      const upload = await importOne(userId, path, {}, 'upload');
      expect(upload.reason).toMatch(/form field `units` set to km or mi/);
      const watch = await importOne(userId, path, {}, 'watch');
      expect(watch.reason).toMatch(/import folder cannot be told a unit/);
      expect(await runsOf(userId)).toEqual([]);
      await importOne(userId, path, { distanceUnit: 'mi' });
      expect((await runsOf(userId)).map((run) => Math.round(run.distanceM))).toEqual([9656, 12875]);
    });

    it('answers a Garmin CSV in a language we do not read with what it looks like', async () => {
      const userId = await newRunner();
      const result = await importOne(userId, write('Activities.csv', fixture('garmin-activities-cs.csv')));
      expect(result).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/^this looks like a Garmin Connect activities CSV in a language we do not read/),
      });
      expect(await runsOf(userId)).toEqual([]);
    });

    it('reads a CSV saved in Windows-1252, saying so', async () => {
      const userId = await newRunner();
      const latin1 = Buffer.from(fixture('garmin-activities-de.csv').toString('utf8'), 'latin1');
      const result = await importOne(userId, write('Activities.csv', latin1));
      expect(result.status).toBe('imported');
      expect(result.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/is not UTF-8: read it as Windows-1252/)]));
      expect((await runsOf(userId)).map((run) => run.name)).toContain('Morgenlauf');
    });

    it('names a CSV it does not know as a CSV, never as "not a FIT file"', async () => {
      const userId = await newRunner();
      const result = await importOne(userId, write('notes.fit', 'date,weight,mood\n2024-05-01,70,good\n2024-05-02,69,fine\n'));
      expect(result).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/^this looks like a CSV file we do not know .*; we read FIT/),
      });
    });
  });

  describe('Garmin Connect summaries and full export', () => {
    it('stores a summaries JSON alone, accounting for every activity', async () => {
      const userId = await newRunner();
      const result = await importOne(userId, write('summaries.json', fixture('garmin-summarizedActivities.json')));
      expect(result.entries).toHaveLength(9);
      expect(result.entries!.filter((entry) => entry.status === 'rejected').map((entry) => entry.reason)).toEqual([
        'the summary has no start time',
      ]);
      expect(await runsOf(userId)).toHaveLength(8);
    });

    it('reads the FIT files of the nested UploadedFiles zip, the summaries otherwise: one run per activity', async () => {
      const userId = await newRunner();
      const fit = buildFitRun({ start: new Date(1714626612000), distanceM: 10_020, durationS: 3_010, serialNumber: 9 });
      const uploads = await zipBytes({ 'upload-1.fit': fit, 'broken.fit': randomBytes(64) });
      const zip = await writeZip(dir, 'garmin-export.zip', {
        'DI_CONNECT/DI-Connect-Fitness/ana@example.com_0_summarizedActivities.json': fixture('garmin-summarizedActivities.json'),
        'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': uploads,
        'DI_CONNECT/DI-Connect-Wellness/sleep.json': '{}',
      });
      const progress: ImportProgress[] = [];
      const result = await importOne(userId, zip, { onProgress: (step) => progress.push(step) });
      expect(result.status).toBe('imported');
      expect(result.entries).toHaveLength(10); // 2 files + 8 summaries not claimed (one of them rejected)
      const runs = await runsOf(userId);
      expect(runs).toHaveLength(8);
      expect(runs[0]).toMatchObject({ source: 'fit', name: 'Morning Run', distanceM: 10_020 });
      expect(runs[0].flags).not.toContain('summary_only');
      expect(progress.at(-1)).toMatchObject({ done: 10, total: 10 });

      const again = await importOne(userId, zip);
      expect(again.status).toBe('duplicate');
      expect(await runsOf(userId)).toHaveLength(8);
    });

    it('stores the activities of a damaged UploadedFiles zip from their summaries, naming the damaged zip', async () => {
      const userId = await newRunner();
      const uploads = await zipBytes({
        'upload-1.fit': buildFitRun({ start: new Date(1714626612000), distanceM: 10_020, durationS: 3_010 }),
      });
      const zip = await writeZip(dir, 'garmin-export.zip', {
        'DI_CONNECT/DI-Connect-Fitness/ana@example.com_0_summarizedActivities.json': fixture('garmin-summarizedActivities.json'),
        'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': uploads.subarray(0, uploads.length - 30),
      });
      const result = await importOne(userId, zip);
      expect(result.entries![0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^unreadable zip/) });
      const runs = await runsOf(userId);
      expect(runs).toHaveLength(8);
      expect(runs[0]).toMatchObject({ source: 'import', externalId: 'garmin-13001' });
    });

    it('refuses a truncated export zip as a whole, storing nothing', async () => {
      const userId = await newRunner();
      const zip = readFileSync(
        await writeZip(dir, 'whole.zip', {
          'DI_CONNECT/DI-Connect-Fitness/a_summarizedActivities.json': fixture('garmin-summarizedActivities.json'),
        }),
      );
      const result = await importOne(userId, write('garmin-export.zip', zip.subarray(0, zip.length - 40)));
      expect(result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^unreadable zip/) });
      expect(await runsOf(userId)).toEqual([]);
    });
  });

  describe('Apple Health', () => {
    it('streams export.xml out of export.zip, with the routes’ descent', async () => {
      const userId = await newRunner();
      const xml = paddedAppleExport(20_000);
      expect(xml.length).toBeGreaterThan(4 * 1024 * 1024);
      const zip = await writeZip(dir, 'export.zip', {
        'apple_health_export/export.xml': xml,
        'apple_health_export/export_cda.xml': '<ClinicalDocument/>',
        'apple_health_export/workout-routes/route_2020-05-03_8.04am.gpx': fixture('apple-route_2020-05-03_8.04am.gpx'),
      });
      // An entry limit far below export.xml's size: it is streamed, not read into memory.
      const result = await importOne(userId, zip, { limits: { maxEntryBytes: 1024 * 1024 } });
      expect(result.status).toBe('imported');
      const runs = await runsOf(userId);
      const first = runs[0];
      expect(first).toMatchObject({ sport: 'run', distanceM: 5_210, utcOffsetS: 7200 });
      expect(first.elevationLossM).toBeGreaterThan(0);
      // Strava's copy of the same run in Health (another app) is the same outing: one run.
      expect(result.entries![1].runs[0]?.status).toBe('merged');
      const accounted = result.entries!.length;
      expect(accounted).toBeGreaterThanOrEqual(7);
    });

    it('refuses an export.xml cut short, storing nothing', async () => {
      const userId = await newRunner();
      const xml = paddedAppleExport(5_000);
      const zip = await writeZip(dir, 'export.zip', { 'apple_health_export/export.xml': xml.slice(0, xml.length - 2_000) });
      const result = await importOne(userId, zip);
      expect(result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/stops after .* before its end.*cut short/) });
      expect(await runsOf(userId)).toEqual([]);
      expect(await importRowsOf(userId)).toHaveLength(1);
    });

    it('refuses an export.xml whose zip declares more than it holds, and one declaring more than the limits allow', async () => {
      const userId = await newRunner();
      const xml = paddedAppleExport(2_000);
      const short = write('export.zip', await zipDeclaring('apple_health_export/export.xml', xml, xml.length * 3));
      expect(await importOne(userId, short)).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/^apple_health_export\/export\.xml cannot be read: /),
      });
      const huge = write('export.zip', await zipDeclaring('apple_health_export/export.xml', xml, 0xf000_0000));
      expect(await importOne(userId, huge, { limits: { maxTotalBytes: 1024 ** 3 } })).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/^zip bomb refused: its activity files unpack to 3\.8 GB, more than the 1\.0 GB allowed/),
      });
      expect(await runsOf(userId)).toEqual([]);
    });

    it('reads export.xml handed over alone', async () => {
      const userId = await newRunner();
      const result = await importOne(userId, write('export.xml', fixture('apple-health-export.xml')));
      expect(result.status).toBe('imported');
      expect((await runsOf(userId)).length).toBeGreaterThan(3);
    });
  });

  describe('Polar Flow', () => {
    it('imports every session of an account export zip, and a folder of it the same', async () => {
      const userId = await newRunner();
      const sessions = Object.fromEntries(POLAR_SESSIONS.map((name) => [`polar-user-data-export/${name}`, fixture(name)]));
      const zip = await writeZip(dir, 'polar.zip', { ...sessions, 'polar-user-data-export/account-data.json': '{}' });
      const result = await importOne(userId, zip);
      expect(result.status).toBe('imported');
      // The multisport session is two activities; the treadmill session without a distance is rejected, with its reason.
      expect(result.entries!.map((entry) => entry.status)).toEqual(['imported', 'rejected', 'imported', 'imported']);
      expect(result.entries![1].reason).toBe('the session has no distance');
      const runs = await runsOf(userId);
      expect(runs.map((run) => run.sport)).toEqual(['run', 'ride', 'run']);

      const other = await newRunner();
      const [fromFolder] = await files.importPaths(other, [writeFolder(tempDir('polar'), sessions)], 'cli');
      expect(fromFolder.status).toBe('imported');
      expect(await runsOf(other)).toHaveLength(3);
    });

    it('rejects a damaged session with its reason and keeps the others', async () => {
      const userId = await newRunner();
      const zip = await writeZip(dir, 'polar.zip', {
        [POLAR_SESSIONS[0]]: fixture(POLAR_SESSIONS[0]),
        'training-session-2024-01-01-1-x.json': '{"exercises": [',
      });
      const result = await importOne(userId, zip);
      expect(result.entries!.map((entry) => entry.status)).toEqual(['imported', 'rejected']);
      expect(result.entries![1].reason).toMatch(/is not valid JSON/);
      expect(await runsOf(userId)).toHaveLength(1);
    });
  });

  it('imports the activity files of zips inside a zip', async () => {
    const userId = await newRunner();
    const inner = await zipBytes({ 'lunch.gpx': gpxTrack(new Date('2025-03-04T12:00:00Z'), 30) });
    const zip = await writeZip(dir, 'outer.zip', {
      'a.fit': buildFitRun({ start: new Date('2025-02-01T08:00:00Z'), distanceM: 8_000, durationS: 2_400, serialNumber: 1 }),
      'more/week.zip': inner,
    });
    const result = await importOne(userId, zip);
    expect(result.entries!.map((entry) => [entry.filename.replace(/^.*outer\.zip\//, ''), entry.status])).toEqual([
      ['a.fit', 'imported'],
      ['more/week.zip/lunch.gpx', 'imported'],
    ]);
    expect(await runsOf(userId)).toHaveLength(2);
  });
});
