import { MappedRun } from '@deload/domain';
import { compact, ParsedEntry, parsed } from './parsed-entry';

/** Descents this small below zero are rounding in the exporter (Strava writes -0.3 m): read as 0. */
const ROUNDING_BELOW_ZERO_M = 5;
/** More climbing than this in one activity is a damaged figure (the longest ultras stay under it). */
const MAX_CLIMB_M = 20_000;
const HEART_RATE = { min: 25, max: 250 };
const CADENCE_SPM = { min: 20, max: 260 };

type Figures = Pick<
  MappedRun,
  'elevationGainM' | 'elevationLossM' | 'avgHr' | 'avgCadenceSpm' | 'movingS' | 'elapsedS' | 'perceivedExertion'
>;

const LABELS: Record<keyof Figures, string> = {
  elevationGainM: 'elevation gain',
  elevationLossM: 'elevation loss',
  avgHr: 'average heart rate',
  avgCadenceSpm: 'average cadence',
  movingS: 'moving time',
  elapsedS: 'elapsed time',
  perceivedExertion: 'perceived exertion',
};

function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

function checkClimb(value: number, label: string, warnings: string[]): number | undefined {
  if (inRange(value, 0, MAX_CLIMB_M)) return value;
  if (Number.isFinite(value) && value < 0 && value >= -ROUNDING_BELOW_ZERO_M) {
    warnings.push(`${label} ${value} m is below zero: read as 0 m`);
    return 0;
  }
  warnings.push(`${label} ${value} m is out of range: left out`);
  return undefined;
}

function check(key: keyof Figures, value: number, warnings: string[]): number | undefined {
  const label = LABELS[key];
  switch (key) {
    case 'elevationGainM':
    case 'elevationLossM':
      return checkClimb(value, label, warnings);
    case 'avgHr':
      if (inRange(value, HEART_RATE.min, HEART_RATE.max)) return value;
      break;
    case 'avgCadenceSpm':
      if (inRange(value, CADENCE_SPM.min, CADENCE_SPM.max)) return value;
      break;
    case 'movingS':
    case 'elapsedS':
      if (inRange(value, 0, Number.MAX_SAFE_INTEGER)) return value;
      break;
    case 'perceivedExertion':
      if (inRange(value, 1, 10)) return Math.round(value);
      break;
  }
  warnings.push(`${label} ${value} is out of range: left out`);
  return undefined;
}

/**
 * An export's optional figures checked one by one: one that cannot be real (a heart rate of 0,
 * a negative time) is left out with a warning, never the run; a descent a rounding error below
 * zero is read as 0. Distance and start are the caller's to judge — without them there is no run.
 */
export function sanitiseRun(run: MappedRun): { run: MappedRun; warnings: string[] } {
  const warnings: string[] = [];
  const checked: MappedRun = { ...run };
  for (const key of Object.keys(LABELS) as (keyof Figures)[]) {
    const value = run[key];
    if (value !== undefined) checked[key] = check(key, value, warnings);
  }
  return { run: compact(checked), warnings };
}

/** An entry for a run whose optional figures are checked first: its warnings, then the checks'. */
export function checkedEntry(ref: string, run: MappedRun, warnings: string[] = []): ParsedEntry {
  const checked = sanitiseRun(run);
  return parsed(ref, checked.run, [...warnings, ...checked.warnings]);
}
