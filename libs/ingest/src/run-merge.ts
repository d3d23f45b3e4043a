import { isDeepStrictEqual } from 'node:util';
import { isRunningSport, MappedRun } from '@deload/domain';
import type { RunEntity } from '@deload/persistence';

/** The columns of `runs` a source fills (identity, owner and bookkeeping columns aside). */
export type RunFields = Pick<
  RunEntity,
  | 'sport'
  | 'sourceSport'
  | 'isRun'
  | 'name'
  | 'description'
  | 'startUtc'
  | 'utcOffsetS'
  | 'timezone'
  | 'distanceM'
  | 'movingS'
  | 'elapsedS'
  | 'elevationGainM'
  | 'elevationLossM'
  | 'avgCadenceSpm'
  | 'avgHr'
  | 'perceivedExertion'
  | 'shoeId'
  | 'splits'
  | 'device'
  | 'flags'
>;

/** What the runner wrote or chose: the latest source that says something wins. */
const ANNOTATIONS = ['name', 'description', 'timezone', 'perceivedExertion', 'shoeId'] as const;
/** What the recording measured: the run's own source decides; other sources only fill gaps. */
const MEASUREMENTS = [
  'sport',
  'sourceSport',
  'isRun',
  'startUtc',
  'utcOffsetS',
  'distanceM',
  'movingS',
  'elapsedS',
  'elevationGainM',
  'elevationLossM',
  'avgCadenceSpm',
  'avgHr',
  'splits',
  'device',
] as const;

export function runFields(run: MappedRun, shoeId: string | null): RunFields {
  return {
    sport: run.sport,
    sourceSport: run.sourceSport ?? null,
    isRun: isRunningSport(run.sport),
    name: run.name ?? null,
    description: run.description ?? null,
    startUtc: run.startUtc,
    utcOffsetS: run.utcOffsetS,
    timezone: run.timezone ?? null,
    distanceM: run.distanceM,
    movingS: run.movingS ?? null,
    elapsedS: run.elapsedS ?? null,
    elevationGainM: run.elevationGainM ?? null,
    elevationLossM: run.elevationLossM ?? null,
    avgCadenceSpm: run.avgCadenceSpm ?? null,
    avgHr: run.avgHr ?? null,
    perceivedExertion: run.perceivedExertion ?? null,
    shoeId,
    splits: run.splits?.length ? run.splits : null,
    device: run.device ?? null,
    flags: run.flags ?? [],
  };
}

/** Deep equality that ignores key order (jsonb stores object keys in its own order). */
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

/**
 * Flags that say what a record is rather than what its data is like: a summary (an export row, a
 * CSV line) instead of a recording. They belong to the source the row shows: when it reports
 * again they are its new word, and another source's say nothing about the stored figures.
 */
const SUMMARY_FLAGS = ['summary_only', 'no_activity_file'];

/** A run known only from a summary, and the recording of it arrives (the FIT after a CSV-only export): the recording takes over. */
export function supersedes(stored: Pick<RunFields, 'flags'>, incoming: Pick<RunFields, 'flags'>): boolean {
  return stored.flags.includes('summary_only') && !incoming.flags.includes('summary_only');
}

function mergedFlags(stored: string[], incoming: string[], fromOwner: boolean): string[] {
  const isSummaryFlag = (flag: string) => SUMMARY_FLAGS.includes(flag);
  const kept = fromOwner ? stored.filter((flag) => !isSummaryFlag(flag)) : stored;
  const added = fromOwner ? incoming : incoming.filter((flag) => !isSummaryFlag(flag));
  return [...new Set([...kept, ...added])];
}

/**
 * The columns to change on a stored run when a source reports it again. `fromOwner` is true when
 * the report comes from the source the row shows (e.g. Strava re-sending an edited activity) or
 * from one that supersedes it (see supersedes): then its measurements replace ours. A second
 * source of the same outing (a FIT file for a Strava run) only fills measurements we lack.
 * Either way, annotations it has replace ours, and data-quality flags accumulate — except the
 * summary flags, which only the owner sets or drops (a summary upgraded by its file loses them).
 */
export function changesFor(stored: RunFields, incoming: RunFields, fromOwner: boolean): Partial<RunFields> {
  const changes: Partial<RunFields> = {};
  const set = <K extends keyof RunFields>(key: K) => {
    if (incoming[key] !== null && !same(stored[key], incoming[key])) changes[key] = incoming[key];
  };
  for (const key of ANNOTATIONS) set(key);
  for (const key of MEASUREMENTS) if (fromOwner || stored[key] === null) set(key);
  const flags = mergedFlags(stored.flags, incoming.flags, fromOwner);
  if (!same(flags, stored.flags)) changes.flags = flags;
  return changes;
}

/** DESIGN.md → Domain: one outing seen by two sources starts within 2 minutes, distances within 3 %. */
export const SAME_OUTING = { maxStartDifferenceS: 120, maxDistanceDifference: 0.03 };

export function isSameOuting(a: Pick<RunFields, 'startUtc' | 'distanceM'>, b: Pick<RunFields, 'startUtc' | 'distanceM'>): boolean {
  const startDifferenceS = Math.abs(a.startUtc.getTime() - b.startUtc.getTime()) / 1000;
  const distanceDifference = Math.abs(a.distanceM - b.distanceM);
  return (
    startDifferenceS <= SAME_OUTING.maxStartDifferenceS &&
    distanceDifference <= SAME_OUTING.maxDistanceDifference * Math.max(a.distanceM, b.distanceM)
  );
}
