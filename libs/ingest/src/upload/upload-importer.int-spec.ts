import { readFileSync } from 'node:fs';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RunEntity, UploadsRepository, UserEntity } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { integrationModule } from '../../../../test/support/integration-module';
import { uniqueEmail } from '../../../../test/support/sessions';
import { fixturePath } from '../../../../test/support/shared-fixtures';
import { FileImportService } from '../file-import.service';
import { UploadImportModule } from '../uploads.module';
import { UploadImporter } from './upload-importer.service';

jest.setTimeout(60_000);

describe('UploadImporter (the fit-ingest job) against PostgreSQL', () => {
  let app: INestApplicationContext;
  let importer: UploadImporter;
  let uploads: UploadsRepository;
  let db: DataSource;
  const fit = readFileSync(fixturePath('fit', 'running-with-developer-data.fit'));

  beforeAll(async () => {
    app = await integrationModule([QueueModule, UploadImportModule]);
    await app.init();
    importer = app.get(UploadImporter);
    uploads = app.get(UploadsRepository);
    db = app.get(DataSource);
  });

  afterAll(() => app?.close());

  const newRunner = async () => (await db.getRepository(UserEntity).save({ email: uniqueEmail('upload') })).id;
  const runsOf = (userId: string) => db.getRepository(RunEntity).countBy({ userId });
  const chunksOf = async (uploadId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM upload_chunks WHERE upload_id = $1`, [uploadId])) as { n: number }[])[0].n;

  /** What the api stores for an upload (the bytes in pieces of `chunk` bytes), without queueing its job. */
  async function stored(userId: string, files: { filename: string; bytes: Uint8Array }[], chunk = 64 * 1024): Promise<string> {
    return db.transaction(async (manager) => {
      const id = await uploads.create(
        userId,
        files.map(({ filename, bytes }) => ({ filename, sizeBytes: bytes.length })),
        undefined,
        manager,
      );
      for (const [index, file] of files.entries()) {
        for (let seq = 0; seq * chunk < file.bytes.length; seq += 1) {
          await uploads.appendChunk(id, index, seq, Buffer.from(file.bytes.subarray(seq * chunk, (seq + 1) * chunk)), manager);
        }
      }
      return id;
    });
  }

  it('imports the stored bytes, records the per-file results and progress, and deletes the bytes', async () => {
    const userId = await newRunner();
    const id = await stored(userId, [{ filename: 'run.fit', bytes: fit }]);
    expect(await chunksOf(id)).toBeGreaterThan(1);
    expect(await importer.importUpload(id)).toBe('done');
    const upload = (await uploads.find(id, userId))!;
    expect(upload).toMatchObject({ status: 'done', attempts: 1, progress: { done: 1, total: 1 }, error: null });
    expect(upload.results).toEqual([
      expect.objectContaining({ filename: 'run.fit', status: 'imported', runs: [expect.objectContaining({ status: 'inserted' })] }),
    ]);
    expect(await runsOf(userId)).toBe(1);
    expect(await chunksOf(id)).toBe(0);
    // A job that runs again (BullMQ redelivers a stalled job) changes nothing.
    expect(await importer.importUpload(id)).toBe('skipped');
    expect(await runsOf(userId)).toBe(1);
  });

  it('after a crash mid-import keeps the bytes, and the retry stores each run once', async () => {
    const userId = await newRunner();
    const id = await stored(userId, [{ filename: 'run.fit', bytes: fit }]);
    // The first attempt started, stored the run, and its process died before recording the outcome.
    await uploads.start(id);
    await app.get(FileImportService).importFile(userId, fixturePath('fit', 'running-with-developer-data.fit'), {
      filename: 'run.fit',
      channel: 'upload',
    });
    expect((await uploads.find(id))!.status).toBe('decoding');
    expect(await chunksOf(id)).toBeGreaterThan(0);

    expect(await importer.importUpload(id)).toBe('done');
    const upload = (await uploads.find(id))!;
    expect(upload).toMatchObject({ status: 'done', attempts: 2 });
    expect(upload.results).toEqual([expect.objectContaining({ filename: 'run.fit', status: 'duplicate' })]);
    expect(await runsOf(userId)).toBe(1);
  });

  it('marks an upload whose every file is refused failed, each with its reason; a good file beside a bad one is done', async () => {
    const userId = await newRunner();
    const bad = await stored(userId, [
      { filename: 'photo.fit', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) },
      { filename: 'empty.fit', bytes: new Uint8Array(0) },
    ]);
    expect(await importer.importUpload(bad)).toBe('failed');
    expect((await uploads.find(bad))!).toMatchObject({
      status: 'failed',
      error: null,
      results: [
        expect.objectContaining({ filename: 'photo.fit', status: 'rejected', reason: 'not a FIT file (it looks like a PNG image)' }),
        expect.objectContaining({ filename: 'empty.fit', status: 'rejected', reason: 'empty file: it has no bytes' }),
      ],
    });

    const mixed = await stored(userId, [
      { filename: 'photo.fit', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) },
      { filename: 'run.fit', bytes: fit },
    ]);
    expect(await importer.importUpload(mixed)).toBe('done');
    expect((await uploads.find(mixed))!.progress).toEqual({ done: 2, total: 2 });
  });

  it('records why on the last attempt when the import cannot be run at all, and keeps the bytes', async () => {
    const userId = await newRunner();
    const id = await stored(userId, [{ filename: 'run.fit', bytes: fit }]);
    // The runner's record of files refuses writes: the import itself fails, not a file.
    await db.query(`ALTER TABLE import_files ADD CONSTRAINT upload_test_refuses CHECK (user_id <> '${userId}'::uuid) NOT VALID`);
    try {
      await expect(importer.importUpload(id, { lastAttempt: false })).rejects.toThrow(/upload_test_refuses/);
      expect((await uploads.find(id))!).toMatchObject({ status: 'decoding', error: null });
      await expect(importer.importUpload(id, { lastAttempt: true })).rejects.toThrow(/upload_test_refuses/);
    } finally {
      await db.query(`ALTER TABLE import_files DROP CONSTRAINT upload_test_refuses`);
    }
    expect((await uploads.find(id))!).toMatchObject({ status: 'failed', error: expect.stringMatching(/could not be completed/) });
    expect(await chunksOf(id)).toBeGreaterThan(0);
    expect(await runsOf(userId)).toBe(0);
  });
});
