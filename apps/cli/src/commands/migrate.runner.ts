// Decorator metadata for Nest/TypeORM: loaded here, not in main.ts, so --help and replay start without it.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@deload/config';
import { dataSourceOptions, ensureDatabase, redactUrl, runMigrationsLocked } from '@deload/persistence';

/** `deload migrate [--revert]`: creates the database if missing, then applies (or reverts) migrations. */
export async function runMigrate(options: { revert?: boolean }): Promise<void> {
  const { DATABASE_URL } = loadConfigOrExit();
  if ((await ensureDatabase(DATABASE_URL)) === 'created') console.log(`created database ${redactUrl(DATABASE_URL)}`);
  const dataSource = await new DataSource({ ...dataSourceOptions(DATABASE_URL), logging: false }).initialize();
  try {
    if (options.revert) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the most recent migration');
      return;
    }
    const applied = await runMigrationsLocked(dataSource);
    console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
  } finally {
    await dataSource.destroy();
  }
}
