/**
 * `npm run bench`: every bench in turn, at sizes that keep the whole run under 10 minutes on a
 * 2-core machine, then a table of every figure against its target. Exits 1 when any missed. Not
 * part of CI. PostgreSQL and Redis come from DATABASE_URL and REDIS_URL (defaults: local).
 *
 *   npm run bench                    # all of them
 *   npm run bench -- strava fit      # only the benches whose name contains one of the words
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTarget, Target } from './support/targets';

/** Each bench with the arguments of a modest run (BENCHMARKS.md gives the full-size commands). */
const BENCHES: [string, string[]][] = [
  ['fit/throughput.js', ['6']],
  ['fit/decode-in-thread.js', ['10']],
  ['fit/upload-to-run.js', ['15']],
  ['ingest/export-formats.ts', ['--rows', '5000', '--sessions', '100', '--repeat', '3']],
  ['ingest/apple-health-stream.ts', ['--size-mb', '200']],
  ['notify/pain-tags.ts', ['--texts', '100000']],
  ['notify/alert-emails.ts', ['--steady', '50', '--interval', '50', '--burst', '100']],
  ['rules/evaluation-cost.ts', ['--rounds', '50']],
  ['rules/alert-email-budget.ts', ['--runners', '60', '--seed', '1']],
  ['rules/replay-throughput.ts', ['--runners', '1000', '--weeks', '104', '--repeat', '2']],
  ['rules/replay-cli.ts', ['--runners', '1000', '--weeks', '104', '--repeat', '2', '--help-runs', '5']],
  ['strava/request-budget.ts', ['400', '100']],
  ['strava/thousand-runners.ts', ['--runners', '200', '--days', '4']],
  ['strava/webhook-intake.ts', ['5000', '100']],
  ['strava/webhook-to-email.ts', ['--runners', '15', '--interval', '500', '--burst', '5']],
  ['dashboard/team-page.ts', ['--rounds', '10']],
];

interface Row extends Target {
  bench: string;
  met: boolean;
  load: number;
}

function runOne(script: string, args: string[], resultsFile: string): { code: number; seconds: number } {
  console.log(`\n=== ${script} ${args.join(' ')} (load ${loadavg()[0].toFixed(1)})`);
  const started = performance.now();
  const child = spawnSync(process.execPath, ['-r', join(__dirname, 'support/register.js'), join(__dirname, script), ...args], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS_FILE: resultsFile },
  });
  return { code: child.status ?? 1, seconds: (performance.now() - started) / 1000 };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(rows[0]), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)].join('\n');
}

function main(): void {
  const only = process.argv.slice(2);
  const selected = BENCHES.filter(([script]) => !only.length || only.some((word) => script.includes(word)));
  const dir = mkdtempSync(join(tmpdir(), 'deload-bench-results-'));
  const resultsFile = join(dir, 'results.ndjson');
  const loadBefore = loadavg().map((value) => value.toFixed(1));
  const started = performance.now();
  const rows = [['bench', 'figure', 'value', 'target', 'result']];
  let failed = 0;
  try {
    for (const [script, args] of selected) {
      const bench = script.replace(/\.(ts|js)$/, '');
      const { code, seconds } = runOne(script, args, resultsFile);
      const figures = readResults(resultsFile).filter((row) => row.bench === bench);
      for (const row of figures)
        rows.push([
          bench,
          row.measure,
          `${+row.value.toFixed(3)} ${row.unit}`,
          `${describeTarget(row)} ${row.unit}`,
          row.met ? 'PASS' : 'FAIL',
        ]);
      if (code !== 0 && figures.every((row) => row.met))
        rows.push([bench, `exited ${code} after ${Math.round(seconds)} s`, '', '', 'FAIL']);
      if (code !== 0) failed += 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(`\n${table(rows)}\n`);
  console.log(
    `${selected.length} benches in ${minutes} min, load average ${loadBefore.join(' ')} before, ` +
      `${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')} after: ${failed ? `${failed} FAILED` : 'all PASS'}`,
  );
  if (failed) process.exitCode = 1;
}

function readResults(file: string): Row[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Row);
  } catch {
    return [];
  }
}

main();
