import { DateTime } from 'luxon';
import type { RuleId } from '@deload/domain';
import { evaluate } from '../src/engine';
import { parseThresholds } from '../src/thresholds';
import type { EnginePainReport, EngineRun, EngineShoe, Evaluation, RuleNote } from '../src/types';

/** Builders for engine tests: runs placed by local date and time in a zone. */
export function at(date: string, timezone = 'UTC', time = '07:00'): Date {
  const instant = DateTime.fromISO(`${date}T${time}`, { zone: timezone });
  if (!instant.isValid) throw new Error(`bad test date ${date}T${time} in ${timezone}`);
  return instant.toJSDate();
}

export function endOfDay(date: string, timezone = 'UTC'): Date {
  return DateTime.fromISO(date, { zone: timezone }).endOf('day').toJSDate();
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

export interface RunSpec {
  timezone?: string;
  time?: string;
  shoe?: string;
  lossM?: number | null;
  cadence?: number | null;
  paceSPerKm?: number;
}

let runCounter = 0;

export function run(date: string, km: number, spec: RunSpec = {}, id = `r${++runCounter}`): EngineRun {
  return {
    id,
    startUtc: at(date, spec.timezone, spec.time),
    distanceM: Math.round(km * 1000),
    movingS: Math.round(km * (spec.paceSPerKm ?? 330)),
    elevationLossM: spec.lossM === undefined ? Math.round(km * 5) : spec.lossM,
    avgCadenceSpm: spec.cadence === undefined ? 170 : spec.cadence,
    shoeId: spec.shoe ?? null,
  };
}

/** `weeks` weeks from Monday `from`, `pattern` km per weekday (Monday first, 0 = rest). */
export function weeks(from: string, count: number, pattern: number[], spec: RunSpec = {}): EngineRun[] {
  const runs: EngineRun[] = [];
  for (let day = 0; day < count * 7; day++) {
    const km = pattern[day % 7];
    if (km) runs.push(run(addDays(from, day), km, spec));
  }
  return runs;
}

/** 30 km a week: Monday 7, Wednesday 7, Friday 6 and a 10 km long run on Sundays. */
export const STEADY_WEEK = [7, 0, 7, 0, 6, 0, 10];

export interface EvaluateOptions {
  timezone?: string;
  pain?: EnginePainReport[];
  shoes?: EngineShoe[];
  thresholds?: unknown;
  syncedThrough?: Date | null;
  historyStart?: Date | null;
  units?: 'km' | 'mi';
}

/** The engine at the end of local day `date`, with the history complete up to then unless told otherwise. */
export function evaluateOn(date: string, runs: EngineRun[], options: EvaluateOptions = {}): Evaluation {
  const timezone = options.timezone ?? 'UTC';
  const asOf = endOfDay(date, timezone);
  return evaluate({
    profile: { timezone, thresholds: parseThresholds(options.thresholds ?? {}), units: options.units },
    asOf,
    syncedThrough: options.syncedThrough === undefined ? asOf : options.syncedThrough,
    historyStart: options.historyStart,
    runs,
    painReports: options.pain,
    shoes: options.shoes,
  });
}

export function conditionsOf(evaluation: Evaluation, rule: RuleId) {
  return evaluation.conditions.filter((condition) => condition.rule === rule);
}

export function noteOf(evaluation: Evaluation, rule: RuleId): RuleNote {
  return evaluation.notes.find((note) => note.rule === rule)!;
}
