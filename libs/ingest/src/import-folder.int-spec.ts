import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RunEntity, UserEntity } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { tempDir, writeZip } from '../../../test/support/archives';
import { uniqueEmail } from '../../../test/support/sessions';
import { fixturePath } from '../../../test/support/shared-fixtures';
import { FileImportService } from './file-import.service';
import { ImportFolderModule } from './import-folder.module';
import { ImportFolderWatcher } from './import-folder.watcher';
import { integrationModule } from '../../../test/support/integration-module';

jest.setTimeout(30_000);

describe('ImportFolderWatcher', () => {
  const root = tempDir('watch');
  let app: INestApplicationContext;
  let watcher: ImportFolderWatcher;

  beforeAll(async () => {
    app = await integrationModule([QueueModule, ImportFolderModule], { env: { IMPORT_DIR: root } });
    watcher = app.get(ImportFolderWatcher);
    // Drive the scans by hand: stop the background timer.
    await watcher.stop();
  });

  afterAll(() => app.close());

  it('imports a settled file for the runner its folder names, then moves it to done/', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    copyFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit'), join(root, email, 'run.fit'));

    expect(await watcher.scanOnce()).toEqual([]); // first sight: not known to be complete yet
    const [outcome] = await watcher.scanOnce();
    expect(outcome).toMatchObject({ email, name: 'run.fit', movedTo: 'done', result: { status: 'imported' } });
    expect(existsSync(join(root, email, 'done', 'run.fit'))).toBe(true);
    expect(existsSync(join(root, email, 'run.fit'))).toBe(false);
    const dataSource = app.get(DataSource);
    const user = await dataSource.getRepository(UserEntity).findOneByOrFail({ email });
    expect(await dataSource.getRepository(RunEntity).countBy({ userId: user.id })).toBe(1);
  });

  it('waits while a file is still growing', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    const path = join(root, email, 'copying.fit');
    writeFileSync(path, readFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit')).subarray(0, 1000));
    await watcher.scanOnce();
    writeFileSync(path, readFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit')));
    expect(await watcher.scanOnce()).toEqual([]);
    expect(await watcher.scanOnce()).toEqual([expect.objectContaining({ name: 'copying.fit', movedTo: 'done' })]);
  });

  it('moves a rejected file to failed/ with a reason file', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    copyFileSync(fixturePath('fit', 'activity-filecrc.fit'), join(root, email, 'bad.fit'));
    await watcher.scanOnce();
    expect(await watcher.scanOnce()).toEqual([expect.objectContaining({ name: 'bad.fit', movedTo: 'failed' })]);
    expect(readFileSync(join(root, email, 'failed', 'bad.fit.reason.txt'), 'utf8')).toMatch(/^bad\.fit: bad CRC: /);
  });

  it('keeps an archive whose activities were partly refused in done/, with a report naming each refusal', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    await writeZip(join(root, email), 'week.zip', {
      'good.fit': readFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit')),
      'bad.fit': readFileSync(fixturePath('fit', 'activity-filecrc.fit')),
    });
    await watcher.scanOnce();
    expect(await watcher.scanOnce()).toEqual([expect.objectContaining({ name: 'week.zip', movedTo: 'done' })]);
    expect(readFileSync(join(root, email, 'done', 'week.zip.report.txt'), 'utf8')).toMatch(/bad\.fit: bad CRC: /);
    expect(existsSync(join(root, email, 'failed'))).toBe(false);
  });

  it('imports a Garmin Connect CSV by its content, and refuses one whose unit it cannot tell, saying why', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    copyFileSync(join(__dirname, 'formats', 'fixtures', 'garmin-activities-de.csv'), join(root, email, 'Aktivitäten.csv'));
    const ambiguous = 'Activity Type,Date,Favorite,Title,Distance,Time\nRunning,2024-05-01 07:00:00,false,"Run","6.00","00:40:00"\n';
    writeFileSync(join(root, email, 'unsure.csv'), `${ambiguous}Running,2024-05-03 07:00:00,false,"Run","8.00","00:55:00"\n`);
    await watcher.scanOnce();
    const outcomes = await watcher.scanOnce();
    expect(outcomes.map((outcome) => [outcome.name, outcome.movedTo]).sort()).toEqual([
      ['Aktivitäten.csv', 'done'],
      ['unsure.csv', 'failed'],
    ]);
    expect(readFileSync(join(root, email, 'failed', 'unsure.csv.reason.txt'), 'utf8')).toMatch(
      /kilometres or miles.*the import folder cannot be told a unit: import it with `deload import --units km\|mi`/,
    );
    const dataSource = app.get(DataSource);
    const user = await dataSource.getRepository(UserEntity).findOneByOrFail({ email });
    expect(await dataSource.getRepository(RunEntity).countBy({ userId: user.id })).toBeGreaterThan(3);
  });

  it('refuses a file dropped outside any runner folder', async () => {
    writeFileSync(join(root, 'orphan.fit'), 'x');
    await watcher.scanOnce();
    await watcher.scanOnce();
    expect(readFileSync(join(root, 'failed', 'orphan.fit.reason.txt'), 'utf8')).toMatch(
      /^no runner for this file: put it in a folder named after the runner's email/,
    );
  });

  it('at once takes back and imports a file that a worker which is gone left in .processing/', async () => {
    const email = uniqueEmail();
    const claims = join(root, email, '.processing', 'deload-vanished-host-4242-0badcafe');
    mkdirSync(claims, { recursive: true });
    copyFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit'), join(claims, 'left-behind.fit'));
    expect(await watcher.scanOnce()).toEqual([expect.objectContaining({ email, name: 'left-behind.fit', movedTo: 'done' })]);
    expect(existsSync(join(root, email, 'done', 'left-behind.fit'))).toBe(true);
    expect(existsSync(claims)).toBe(false);
  });

  it('stops between files when the worker shuts down, leaving the others for the next start', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    for (const name of ['a.fit', 'b.fit', 'c.fit']) copyFileSync(fixturePath('fit', 'garmin-fenix-5-run.fit'), join(root, email, name));
    await watcher.scanOnce();
    const files = app.get(FileImportService);
    const importFile = files.importFile.bind(files);
    const spy = jest.spyOn(files, 'importFile').mockImplementationOnce(async (...args) => {
      void watcher.stop(); // SIGTERM arrives while the first file is being imported
      return importFile(...args);
    });
    try {
      const outcomes = await watcher.scanOnce();
      expect(outcomes).toEqual([expect.objectContaining({ movedTo: 'done' })]);
      expect(readdirSync(join(root, email)).filter((name) => name.endsWith('.fit'))).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });
});
