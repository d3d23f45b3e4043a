import { invalid, MappedRun } from '@deload/domain';

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
  for (const [name, value] of Object.entries({ distance: run.distanceM, 'moving time': run.movingS, 'elapsed time': run.elapsedS })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) problems.push(`${name} ${value}`);
  }
  if (problems.length) throw invalid(`implausible figures in the file (${problems.join(', ')}): it is probably damaged`);
}
