import { Command, CommanderError } from 'commander';
import { CliError, EXIT_FAILED, EXIT_USAGE } from './cli-error';
import { adminCommand } from './commands/admin.command';
import { demoCommand } from './commands/demo.command';
import { fitSummaryCommand } from './commands/fit-summary.command';
import { importCommand } from './commands/import.command';
import { migrateCommand } from './commands/migrate.command';
import { replayCommand } from './commands/replay.command';
import { stravaCommands } from './commands/strava.commands';

/** The `deload` command. Each sub-command lives in commands/ and is registered here. */
export function buildProgram(): Command {
  const program = new Command('deload').description('Deload — warns runners before an overuse injury').showHelpAfterError().exitOverride();
  for (const command of [
    migrateCommand(),
    replayCommand(),
    importCommand(),
    fitSummaryCommand(),
    ...stravaCommands(),
    demoCommand(),
    adminCommand(),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/** Runs the CLI and resolves to the exit code: 0 ok, 1 failed, 2 usage error. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message (and help) on stderr.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      process.stderr.write(`deload: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`deload: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}
