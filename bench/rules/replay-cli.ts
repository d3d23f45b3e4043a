/**
 * `deload replay` as a user runs it: the built CLI (dist/, `npm run build` first) in a child process
 * on the generated log of 1,000 runners × 2 years (the file replay-throughput.ts replays in process),
 * and `deload --help`.
 *
 *   node -r ./bench/support/register.js bench/rules/replay-cli.ts [--runners 1000] [--weeks 104] [--repeat 2] [--help-runs 5]
 *
 * The child's CPU time and peak RSS are its own (process.resourceUsage() at its exit, through
 * support/child-usage.js), start-up, reading the file and writing the emails included.
 *
 * Targets (issue 16, DESIGN.md → Performance): ≥ 150,000 runs per CPU-second in the best run, peak
 * RSS < 200 MB in every run, `deload --help` < 0.5 s wall (median); exits 1 on a miss.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realisticLogFile } from './training-log-generator';
import { argument } from '../support/options';
import { runBench, Target } from '../support/targets';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const USAGE = join(__dirname, '..', 'support', 'child-usage.js');

interface ChildRun {
  code: number | null;
  wallS: number;
  cpuS: number;
  maxRssMb: number;
}

/** Runs the built CLI with `args`, its stdout to `stdout` (a file path) or dropped. */
async function runCli(args: string[], workDir: string, stdout: string | null): Promise<ChildRun> {
  const usageFile = join(workDir, `usage-${process.hrtime.bigint()}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', USAGE, CLI, ...args], {
    env: { ...process.env, DELOAD_BENCH_USAGE_FILE: usageFile },
    stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'inherit'],
  });
  if (stdout) child.stdout!.pipe(createWriteStream(stdout));
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallS = (performance.now() - started) / 1000;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
  return { code, wallS, cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMb: usage.maxRSS / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<Target[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);
  const runners = argument('runners', 1000);
  const weeks = argument('weeks', 104);
  const log = await realisticLogFile(runners, weeks);
  const workDir = mkdtempSync(join(tmpdir(), 'deload-replay-cli-'));
  try {
    let best = 0;
    let peakRssMb = 0;
    for (let attempt = 1; attempt <= argument('repeat', 2); attempt++) {
      const output = join(workDir, 'alerts.ndjson');
      const run = await runCli(['replay', '--input', log], workDir, output);
      if (run.code !== 0) throw new Error(`deload replay exited ${run.code}`);
      const emails = readFileSync(output, 'utf8').split('\n').length - 1;
      // The runs come from the in-process bench's count for the same file (every line of it is a good run line or not a run).
      const runs = runCount(log);
      best = Math.max(best, runs / run.cpuS);
      peakRssMb = Math.max(peakRssMb, run.maxRssMb);
      console.log(
        `replay ${attempt}: ${runs.toLocaleString('en')} runs in ${run.wallS.toFixed(2)} s wall, ${run.cpuS.toFixed(2)} s CPU → ` +
          `${Math.round(runs / run.cpuS).toLocaleString('en')} runs per CPU-second; peak RSS ${Math.round(run.maxRssMb)} MB; ` +
          `${emails.toLocaleString('en')} emails (${statSync(output).size.toLocaleString('en')} bytes)`,
      );
    }
    const helps: ChildRun[] = [];
    for (let attempt = 1; attempt <= argument('help-runs', 5); attempt++) helps.push(await runCli(['--help'], workDir, null));
    console.log(
      `--help: wall ${helps.map((run) => run.wallS.toFixed(2)).join(', ')} s; CPU ${helps.map((run) => run.cpuS.toFixed(2)).join(', ')} s`,
    );
    return [
      { measure: 'deload replay, best run', value: Math.round(best), unit: 'runs per CPU-second', atLeast: 150_000 },
      { measure: 'deload replay, peak RSS', value: Math.round(peakRssMb), unit: 'MB', atMost: 199 },
      { measure: 'deload --help, median wall time', value: +median(helps.map((run) => run.wallS)).toFixed(3), unit: 's', atMost: 0.5 },
    ];
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

let counted: { log: string; runs: number } | null = null;

/** Run lines in the log (the generated log has no bad or skipped lines). */
function runCount(log: string): number {
  if (counted?.log !== log) {
    const text = readFileSync(log, 'utf8');
    let runs = 0;
    for (let at = text.indexOf('"type":"run"'); at !== -1; at = text.indexOf('"type":"run"', at + 1)) runs += 1;
    counted = { log, runs };
  }
  return counted.runs;
}

runBench('rules/replay-cli', main);
