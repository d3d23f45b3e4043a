import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** A measured figure and the target it must meet: `atLeast` when more is better, `atMost` when less is. */
export interface Target {
  measure: string;
  value: number;
  unit: string;
  atLeast?: number;
  atMost?: number;
}

export function targetMet(target: Target): boolean {
  if (!Number.isFinite(target.value)) return false;
  if (target.atLeast !== undefined && target.value < target.atLeast) return false;
  return target.atMost === undefined || target.value <= target.atMost;
}

export function describeTarget(target: Target): string {
  return target.atLeast !== undefined ? `≥ ${target.atLeast.toLocaleString('en')}` : `≤ ${target.atMost!.toLocaleString('en')}`;
}

/**
 * Prints each figure with its target and PASS/FAIL, sets a non-zero exit code on any miss and,
 * when BENCH_RESULTS_FILE is set (`npm run bench`), appends one JSON line per figure to it.
 */
export function checkTargets(bench: string, targets: Target[]): boolean {
  const load = loadavg()[0].toFixed(1);
  for (const target of targets) {
    const met = targetMet(target);
    const figure = `${+target.value.toFixed(3)} ${target.unit}`;
    console.log(`${met ? 'PASS' : 'FAIL'} ${target.measure}: ${figure} (target ${describeTarget(target)} ${target.unit}; load ${load})`);
    if (process.env.BENCH_RESULTS_FILE)
      appendFileSync(process.env.BENCH_RESULTS_FILE, `${JSON.stringify({ bench, ...target, met, load: +load })}\n`);
  }
  const allMet = targets.length > 0 && targets.every(targetMet);
  if (!allMet) process.exitCode = 1;
  return allMet;
}

/**
 * Runs a bench: `main` measures and returns its figures (cleaning up what it wrote in its own
 * `finally`); the figures are checked against their targets. A bench that throws fails, exit 1.
 */
export function runBench(bench: string, main: () => Promise<Target[]> | Target[]): void {
  Promise.resolve()
    .then(main)
    .then(
      (targets) => checkTargets(bench, targets),
      (error) => {
        console.error(error);
        console.log(`FAIL ${bench}: did not finish`);
        process.exitCode = 1;
      },
    );
}
