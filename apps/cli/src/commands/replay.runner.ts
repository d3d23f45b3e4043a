import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AlertEmailLevel, DomainError, RULE_IDS } from '@deload/domain';
import { AthleteStats, parseThresholds, Replay, ReplayResult, Thresholds } from '@deload/rules';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../cli-error';

export interface ReplayCommandOptions {
  input: string;
  rules?: string;
  alertEmails: AlertEmailLevel;
  stats?: boolean;
}

/**
 * `deload replay` (replay.command.ts). A file is replayed athlete by athlete, each one's runs let go
 * once the next athlete starts; when the file turns out not to be grouped by athlete it is read a
 * second time, whole. Standard input cannot be read twice, so it is held whole from the start.
 */
export async function runReplay(options: ReplayCommandOptions): Promise<void> {
  const thresholds = options.rules ? readRules(options.rules) : undefined;
  const replayOf = async (streamAthletes: boolean) => {
    const replay = new Replay(thresholds, { level: options.alertEmails, streamAthletes });
    for await (const line of readLines(options.input)) {
      replay.addLine(line);
      if (replay.ungrouped) break;
    }
    return replay;
  };
  let replay = await replayOf(options.input !== '-');
  if (replay.ungrouped) replay = await replayOf(false);
  const result = replay.run();
  if (options.stats) process.stdout.write(statsTable(result.stats));
  else writeAlerts(result);
  for (const problem of result.problems) process.stderr.write(`line ${problem.line}: ${problem.error}\n`);
  if (result.problems.length) {
    process.stderr.write(`deload: ${result.problems.length} bad line${result.problems.length === 1 ? '' : 's'} skipped\n`);
    process.exitCode = EXIT_FAILED;
  }
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
  try {
    yield* createInterface({ input: stream, crlfDelay: Infinity });
  } finally {
    if (input !== '-') stream.destroy(); // also when the reader stopped early
  }
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

/** `--stats`: a plain-text table, one row per athlete and a total. */
export function statsTable(stats: AthleteStats[]): string {
  const total: AthleteStats = { athlete: 'total', runs: 0, firstDate: '', lastDate: '', months: 0, emails: 0, signals: {} };
  for (const athlete of stats) {
    total.runs += athlete.runs;
    total.months += athlete.months;
    total.emails += athlete.emails;
    for (const [rule, count] of Object.entries(athlete.signals)) {
      const sum = (total.signals[rule as keyof AthleteStats['signals']] ??= { emailed: 0, summaryOnly: 0 });
      sum.emailed += count.emailed;
      sum.summaryOnly += count.summaryOnly;
    }
  }
  const rows = [...stats, total].map((athlete) => [
    athlete.athlete,
    String(athlete.runs),
    athlete.months.toFixed(1),
    String(athlete.emails),
    athlete.months > 0 ? (athlete.emails / athlete.months).toFixed(2) : '-',
    RULE_IDS.filter((rule) => athlete.signals[rule])
      .map((rule) => `${rule} ${athlete.signals[rule]!.emailed}/${athlete.signals[rule]!.summaryOnly}`)
      .join(', ') || '-',
  ]);
  const header = ['athlete', 'runs', 'months', 'emails', 'per month', 'signals by rule (emailed/summary only)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row: string[]) =>
    row
      .map((cell, column) => (column === 0 || column === row.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map(format).join('\n') + '\n';
}
