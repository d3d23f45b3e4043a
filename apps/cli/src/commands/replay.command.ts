import { Command, Option } from 'commander';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ALERT_EMAIL_LEVELS, AlertEmailLevel, DomainError, RULE_IDS } from '@deload/domain';
import { AthleteStats, parseThresholds, Replay, ReplayResult, Thresholds } from '@deload/rules';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../cli-error';

const HELP = `
Input: NDJSON, one object per line, grouped by "athlete" (default "me"):
  {"type":"athlete","athlete":"a1","timezone":"Europe/Oslo"}
  {"type":"shoe","athlete":"a1","id":"s1","name":"Pegasus 40","distance_m":612000,"retire_m":800000}
  {"type":"run","athlete":"a1","id":"r1","start":"2025-03-02T07:10:00+01:00","distance_m":10230,"moving_s":3120,
   "elapsed_s":3300,"elevation_gain_m":85,"elevation_loss_m":80,"cadence_spm":168,"avg_hr":151,"shoe":"s1"}
  {"type":"pain","athlete":"a1","run":"r1","location":"lateral_knee","onset_m":6500,"onset_s":2100,"severity":4}
Fields (distances in metres, durations in seconds; unknown fields are ignored, so the output of
\`deload fit-summary\` can be fed in as it is):
  athlete  timezone (IANA, default UTC: days and weeks are the runner's own), units (km or mi)
  shoe     id (required), name, distance_m (what it had before the first run in the file),
           retire_m, retired
  run      id, start, distance_m (required; start is ISO 8601, without an offset it is the
           athlete's wall-clock time), moving_s, elapsed_s, elevation_gain_m, elevation_loss_m,
           cadence_spm (steps a minute, both feet), avg_hr, shoe (a shoe id), sport (not running:
           skipped)
  pain     run (a run id, required), location (lateral_knee, knee, hip, shin, calf, achilles,
           foot, other), onset_m and/or onset_s (how far into the run), severity 0-10, has_pain

Output: one JSON line per alert email that would have been sent, on the runner's local date. An
email leads with its strongest signal (rule, severity, message, facts); the other signals it
carries under "also this week" are in "also", present only when there are some:
  {"athlete":"a1","date":"2025-03-09","rule":"single-run-spike","severity":"caution","message":"…",
   "facts":{…},"also":[{"rule":"weekly-increase","severity":"caution","message":"…"}]}

--stats prints instead, per athlete and in total: runs, months covered (first to last run),
alert emails, emails per runner-month, and the signals of each rule as emailed / summary only
(in an email, leading it or under "also", or only in the weekly summary and on the dashboard).

Bad lines are reported on stderr with their line number and skipped (exit 1); usage errors exit 2.
Full description: docs/replay.md.`;

/**
 * `deload replay --input <file.ndjson|-> [--rules <rules.json>] [--alert-emails <level>] [--stats]`
 * (docs/replay.md): the rules engine, alert lifecycle and email policy over a training log, day by
 * day as if live; one JSON line per alert email that would have been sent, or the statistics.
 * Bad lines go to stderr with their number and are skipped (exit 1). No database, no Redis.
 */
export function replayCommand(): Command {
  return new Command('replay')
    .description('replay a training log (NDJSON) through the rules engine and print the alert emails that would have been sent')
    .requiredOption('--input <file>', 'the training log, one JSON object per line; - reads stdin')
    .option('--rules <file>', 'JSON file of threshold overrides, e.g. {"weekly-increase":{"caution":1.4}}')
    .addOption(
      new Option('--alert-emails <level>', 'the runners\' alert email setting: all (as they happen), strongest, none (weekly summary only)')
        .choices(ALERT_EMAIL_LEVELS)
        .default('all'),
    )
    .option('--stats', 'print runs, months, emails per runner-month and signals by rule per athlete and in total, instead of the emails')
    .addHelpText('after', HELP)
    .action(async (options: { input: string; rules?: string; alertEmails: AlertEmailLevel; stats?: boolean }) => {
      const replay = new Replay(options.rules ? readRules(options.rules) : undefined, { level: options.alertEmails });
      for await (const line of readLines(options.input)) replay.addLine(line);
      const result = replay.run();
      if (options.stats) process.stdout.write(statsTable(result.stats));
      else writeAlerts(result);
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
