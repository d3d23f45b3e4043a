import { Command } from 'commander';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DomainError } from '@deload/domain';
import { parseThresholds, Replay, ReplayResult, Thresholds } from '@deload/rules';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../cli-error';

/**
 * `deload replay --input <file.ndjson|-> [--rules <rules.json>]` (DESIGN.md → Contracts): the rules
 * engine over a training log, day by day as if live; one JSON line per alert that would have been
 * emailed. Bad lines go to stderr with their number and are skipped (exit 1). No database, no Redis.
 */
export function replayCommand(): Command {
  return new Command('replay')
    .description('replay a training log (NDJSON) through the rules engine and print the alerts that would have been emailed')
    .requiredOption('--input <file>', 'the training log, one JSON object per line; - reads stdin')
    .option('--rules <file>', 'JSON file of threshold overrides, e.g. {"weekly-increase":{"caution":1.4}}')
    .action(async (options: { input: string; rules?: string }) => {
      const replay = new Replay(options.rules ? readRules(options.rules) : undefined);
      for await (const line of readLines(options.input)) replay.addLine(line);
      const result = replay.run();
      writeAlerts(result);
      for (const problem of result.problems) process.stderr.write(`line ${problem.line}: ${problem.error}\n`);
      if (result.problems.length) {
        process.stderr.write(`deload: ${result.problems.length} bad line${result.problems.length === 1 ? '' : 's'} skipped\n`);
        process.exitCode = EXIT_FAILED;
      }
    });
}

function readRules(path: string): Thresholds {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read rules file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT_USAGE);
  }
  let overrides: unknown;
  try {
    overrides = JSON.parse(text);
  } catch (error) {
    throw new CliError(`rules file ${path} is not valid JSON: ${(error as Error).message}`, EXIT_USAGE);
  }
  try {
    return parseThresholds(overrides);
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(`rules file ${path}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
}

async function* readLines(input: string): AsyncGenerator<string> {
  const stream: Readable = input === '-' ? process.stdin : createReadStream(input);
  const opened = new Promise<void>((resolve, reject) => {
    if (input === '-') return resolve();
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new CliError(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT_USAGE);
  }
  yield* createInterface({ input: stream, crlfDelay: Infinity });
}

function writeAlerts(result: ReplayResult): void {
  const CHUNK = 1000;
  for (let start = 0; start < result.alerts.length; start += CHUNK) {
    process.stdout.write(
      result.alerts
        .slice(start, start + CHUNK)
        .map((alert) => JSON.stringify(alert))
        .join('\n') + '\n',
    );
  }
}
