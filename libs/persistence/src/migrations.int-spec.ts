import { DataSource } from 'typeorm';
import { databaseUrl, uniqueName } from '../../../test/support/test-env';
import { dataSourceOptions } from './data-source-options';
import { dropDatabase, ensureDatabase } from './ensure-database';
import { runMigrationsLocked } from './migrate';
import { MIGRATIONS } from './migrations';

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

describe('migrations on a fresh database', () => {
  const url = databaseUrl(uniqueName('deload_migrations'));
  let dataSource: DataSource;

  beforeAll(async () => {
    expect(await ensureDatabase(url)).toBe('created');
    expect(await ensureDatabase(url)).toBe('existed');
    dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(url);
  });

  it('apply, revert completely, and apply again', async () => {
    const applied = await runMigrationsLocked(dataSource);
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    const tables = await tableNames(dataSource);
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'runs',
        'run_sources',
        'shoes',
        'pain_reports',
        'alerts',
        'teams',
        'memberships',
        'webhook_events',
        'import_files',
        'strava_connections',
      ]),
    );

    for (let i = 0; i < MIGRATIONS.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tableNames(dataSource)).toEqual([]);

    expect(await runMigrationsLocked(dataSource)).toHaveLength(MIGRATIONS.length);
    expect(await tableNames(dataSource)).toEqual(tables);
  });

  it('applies nothing twice when processes migrate at the same time', async () => {
    const others = await Promise.all([1, 2, 3].map(() => new DataSource(dataSourceOptions(url)).initialize()));
    try {
      const results = await Promise.all(others.map((other) => runMigrationsLocked(other)));
      expect(results.flat()).toEqual([]);
    } finally {
      await Promise.all(others.map((other) => other.destroy()));
    }
  });

  it('gives every entity column the type, nullability and default the entity declares', async () => {
    // Constraints and indexes live only in the SQL migrations, so TypeORM would drop them;
    // everything else it would change is a mismatch between an entity and the migrations.
    const pending = await dataSource.driver.createSchemaBuilder().log();
    const columnChanges = pending.upQueries
      .map((query) => query.query)
      .filter((statement) => !/^(DROP INDEX|ALTER TABLE "\w+" DROP CONSTRAINT)/.test(statement));
    expect(columnChanges).toEqual([]);
  });
});
