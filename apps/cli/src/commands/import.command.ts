import { Command, Option } from 'commander';

export interface ImportCommandOptions {
  user: string;
  units?: 'km' | 'mi';
}

/** `deload import <path…> --user <email>`: exit 0 when nothing was rejected, 1 when something was, 2 on usage errors. */
export function importCommand(): Command {
  return new Command('import')
    .description(
      'import FIT, .fit.gz, GPX, TCX and zips of them, or a whole export from Strava, Garmin Connect (full export or activities CSV), Apple Health or Polar Flow, for a runner',
    )
    .addHelpText(
      'after',
      `
Progress goes to stderr: a bar with counts and ETA on a terminal, a line every 100 activities otherwise.
Then one line per file and activity on stdout, and a total. Exit 0 when nothing was rejected, 1 when
something was, 2 on usage errors. More: docs/importing.md`,
    )
    .argument('<path...>', 'files or folders')
    .requiredOption('--user <email>', "the runner's email (created if there is no such user yet)")
    .addOption(
      new Option('--units <unit>', 'the distance unit of a Garmin Connect activities CSV whose figures leave it open').choices([
        'km',
        'mi',
      ]),
    )
    .action(async (paths: string[], options: ImportCommandOptions) => {
      // Loaded on use: Nest, the database and the decoders are heavy, and other commands should start quickly.
      const { runImport } = await import('./import.runner');
      await runImport(paths, options);
    });
}
