/**
 * Replay throughput: `deload replay`'s engine (parse + day-by-day rules + lifecycle) over a
 * generated log of 1,000 runners × 2 years, in one Node process (one core).
 *
 *   node -r ./bench/support/register.js bench/rules/replay-throughput.ts [--runners 1000] [--weeks 104] [--repeat 3]
 *
 * Writes the log to $TMPDIR/deload-bench-<runners>x<weeks>.ndjson (reused); replay-cli.ts times the
 * built CLI on the same file.
 *
 * Target (DESIGN.md → Performance): ≥ 250,000 runs per CPU-second in process in the best of the
 * runs (CPU time, so that other work on a shared machine does not count against it); exits 1 on a miss.
 */
import { readFileSync } from 'node:fs';
import { Replay } from '@deload/rules';
import { realisticLogFile } from './training-log-generator';
import { argument } from '../support/options';
import { runBench, Target } from '../support/targets';

function replayOnce(lines: string[]) {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  // The generated log is grouped by athlete, as docs/replay.md asks: each athlete is replayed as the next one starts (as the CLI does).
  const replay = new Replay(undefined, { streamAthletes: true });
  for (const line of lines) replay.addLine(line);
  const result = replay.run();
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const TARGET_RUNS_PER_CPU_SECOND = 250_000;

async function main(): Promise<Target[]> {
  const runners = argument('runners', 1000);
  const weeks = argument('weeks', 104);
  const path = await realisticLogFile(runners, weeks);
  const lines = readFileSync(path, 'utf8').split('\n');
  console.log(`log: ${path} (${lines.length.toLocaleString('en')} lines)`);
  let best = 0;
  for (let attempt = 1; attempt <= argument('repeat', 3); attempt++) {
    const { result, wallMs, cpuMs } = replayOnce(lines);
    best = Math.max(best, result.runs / (cpuMs / 1000));
    console.log(
      `run ${attempt}: ${result.runs.toLocaleString('en')} runs of ${result.athletes} runners in ${Math.round(wallMs)} ms ` +
        `→ ${Math.round(result.runs / (wallMs / 1000)).toLocaleString('en')} runs/s wall, ` +
        `${Math.round(result.runs / (cpuMs / 1000)).toLocaleString('en')} runs per CPU-second; ${result.alerts.length} emails, ${result.problems.length} bad lines; ` +
        `heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`,
    );
  }
  return [
    { measure: 'replay in process, best run', value: Math.round(best), unit: 'runs per CPU-second', atLeast: TARGET_RUNS_PER_CPU_SECOND },
  ];
}

runBench('rules/replay-throughput', main);
