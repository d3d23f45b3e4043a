import { Command } from 'commander';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create the database if missing and apply pending migrations')
    .option('--revert', 'undo the most recent migration')
    .action(async (options: { revert?: boolean }) => {
      // Loaded on use: TypeORM and the database are heavy, and other commands should start quickly.
      const { runMigrate } = await import('./migrate.runner');
      await runMigrate(options);
    });
}
