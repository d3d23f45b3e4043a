import { DataSource } from 'typeorm';
import { addUser, openTestDatabase } from '../../test/fixtures';
import { ImportFilesRepository } from './import-files.repository';

describe('ImportFilesRepository against PostgreSQL', () => {
  let db: DataSource;
  let files: ImportFilesRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    files = new ImportFilesRepository(db);
  });
  afterAll(() => db?.destroy());

  const file = (userId: string, filename: string) => ({
    userId,
    filename,
    sha256: 'ab'.repeat(32),
    sizeBytes: 5_000_000_000,
    status: 'imported' as const,
    error: null,
    runsImported: 0,
    channel: 'upload' as const,
  });

  it('records a file, then what came of it; lists the latest first', async () => {
    const { id: userId } = await addUser(db);
    const first = await files.record(file(userId, 'first.fit'));
    const second = await db.transaction(async (tx) => {
      const row = await files.record(file(userId, 'second.fit'), tx);
      await files.setOutcome(row.id, 'duplicate', 0, tx);
      return row;
    });
    await files.setOutcome(first.id, 'imported', 3);
    const latest = await files.latestOf(userId, 10);
    expect(latest.map((row) => [row.filename, row.status, row.runsImported])).toEqual([
      ['second.fit', 'duplicate', 0],
      ['first.fit', 'imported', 3],
    ]);
    expect(latest[1].sizeBytes).toBe(5_000_000_000);
    expect(second.id).toEqual(expect.any(String));
    expect(await files.latestOf(userId, 1)).toHaveLength(1);
  });

  it('pages through a runner’s imports, newest first, in a stable order', async () => {
    const { id: userId } = await addUser(db);
    for (let index = 1; index <= 12; index++) await files.record(file(userId, `run-${index}.fit`));
    const names = async (limit: number, skip: number) => (await files.latestOf(userId, limit, skip)).map((row) => row.filename);
    expect(await names(5, 0)).toEqual(['run-12.fit', 'run-11.fit', 'run-10.fit', 'run-9.fit', 'run-8.fit']);
    expect(await names(5, 10)).toEqual(['run-2.fit', 'run-1.fit']);
    expect(await names(5, 12)).toEqual([]);
  });

  it('moves a runner’s imports to another runner', async () => {
    const source = await addUser(db);
    const target = await addUser(db);
    await files.record(file(source.id, 'moved.zip'));
    await files.moveToUser(source.id, target.id);
    expect(await files.latestOf(source.id, 10)).toEqual([]);
    expect((await files.latestOf(target.id, 10)).map((row) => row.filename)).toEqual(['moved.zip']);
  });
});
