import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@deload/config';
import { dataSourceOptions, ensureDatabase, redactUrl, runMigrationsLocked } from '@deload/persistence';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create the database if missing and apply pending migrations')
    .option('--revert', 'undo the most recent migration')
    .action(async (options: { revert?: boolean }) => {
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
    });
}
