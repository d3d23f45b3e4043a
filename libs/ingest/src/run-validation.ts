import { invalid, MappedRun } from '@deload/domain';
import { sanitiseRun } from './formats/sanitise';

const EARLIEST_START = Date.UTC(1990, 0, 1);
const MAX_OFFSET_S = 14 * 3600;
const A_DAY_MS = 24 * 3600 * 1000;

/** Refuses a mapped run whose figures cannot be real (damaged data), with the figure named. */
export function assertPlausible(run: MappedRun, now = new Date()): void {
  const problems: string[] = [];
  const start = run.startUtc.getTime();
  if (!Number.isFinite(start) || start < EARLIEST_START || start > now.getTime() + A_DAY_MS) {
    problems.push(`start ${Number.isFinite(start) ? run.startUtc.toISOString() : 'unknown'}`);
  }
  if (!Number.isInteger(run.utcOffsetS) || Math.abs(run.utcOffsetS) > MAX_OFFSET_S) problems.push(`UTC offset ${run.utcOffsetS} s`);
  if (!(Number.isFinite(run.distanceM) && run.distanceM >= 0)) problems.push(`distance ${run.distanceM}`);
  if (problems.length) throw invalid(`implausible figures in the file (${problems.join(', ')}): it is probably damaged`);
}

/**
 * A run ready to store: refused (assertPlausible) when its start, offset or distance cannot be
 * real; an optional figure out of range (a negative time, a heart rate of 0, a descent of -0.3 m)
 * is corrected or left out with a warning, never the run.
 */
export function plausibleRun(run: MappedRun, now = new Date()): { run: MappedRun; warnings: string[] } {
  assertPlausible(run, now);
  return sanitiseRun(run);
}
