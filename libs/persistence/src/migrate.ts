import { DataSource, Migration } from 'typeorm';

/** Any constant works; all Deload processes must agree on it. */
const MIGRATION_LOCK_ID = 4_242_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so an api and a worker
 * starting together (or ten of them) apply each migration exactly once.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
