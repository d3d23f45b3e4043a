import { Command } from 'commander';

/** `deload import <path…> --user <email>`: exit 0 when nothing was rejected, 1 when something was, 2 on usage errors. */
export function importCommand(): Command {
  return new Command('import')
    .description('import FIT, .fit.gz, GPX, TCX, zips of them, or a Strava bulk export (zip or folder) for a runner')
    .argument('<path...>', 'files or folders')
    .requiredOption('--user <email>', "the runner's email (created if there is no such user yet)")
    .action(async (paths: string[], options: { user: string }) => {
      // Loaded on use: Nest, the database and the decoders are heavy, and other commands should start quickly.
      const { runImport } = await import('./import.runner');
      await runImport(paths, options.user);
    });
}
