import type { DistanceUnit, RuleId } from '@deload/domain';
import type { Thresholds } from '../thresholds';
import type { TrainingLog } from '../training-log';
import { dateOfDay } from '../calendar';
import { describeOnce } from '../messages';
import type { Condition, EngineShoe, Facts, MessagePieces, RuleStatus } from '../types';

/** Everything a rule may read. Rules never look past `lastKnownDay` (the replay relies on it). */
export interface RuleContext {
  log: TrainingLog;
  /** Local day of the evaluation. */
  today: number;
  /** Data is complete through this local day (≤ today); later days are unknown, not rest. */
  lastKnownDay: number;
  /** Local day of the runner's first run ever; null when there is none. */
  historyStartDay: number | null;
  shoes: ReadonlyMap<string, EngineShoe>;
  thresholds: Thresholds;
  units: DistanceUnit;
}

/** A note's text, or a function that writes it: the replay never reads notes, so it never pays for them. */
export type Reason = string | (() => string);

export interface RuleResult {
  status: RuleStatus;
  conditions: readonly Condition[];
  reason: Reason;
}

export interface Rule {
  id: RuleId;
  evaluate(context: RuleContext): RuleResult;
  /** The days its result can change on in a replay (the replay reuses a quiet result on the others). */
  changes(thresholds: Thresholds): ResultChanges;
}

/**
 * When a rule's result can differ from the day before's, in a replay (data complete through today,
 * no run added to the past): on a day `afterRun` days after one of its `runs` (0: the run's own day;
 * a window edge passing it), and on the day the runner's history reaches `historyDays`. Declare every
 * window edge: a missing one makes the replay keep a stale result (replay.spec.ts compares against
 * evaluating every day).
 */
export interface ResultChanges {
  runs: 'all' | 'with-pain' | 'with-shoe';
  afterRun: readonly number[];
  historyDays?: number;
  /**
   * Its conditions, too, stay the same between those days (their facts and messages name runs and
   * shoes, never the day of the evaluation): the replay keeps them instead of running it again.
   * Without it a rule that has conditions is run every day.
   */
  steady?: boolean;
}

/** Load windows end at the last known day; after a week without data the rules cannot tell rest from a gap. */
export const MAX_STALE_DAYS = 6;

/** The conditions of every clear or insufficient result: one frozen list, not a new one a day (the replay asks daily). */
const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);

export function clear(reason: Reason): RuleResult {
  return { status: 'clear', conditions: NO_CONDITIONS, reason };
}

export function insufficient(reason: Reason): RuleResult {
  return { status: 'insufficient-data', conditions: NO_CONDITIONS, reason };
}

export function triggered(conditions: Condition[], reason: Reason): RuleResult {
  return { status: 'triggered', conditions, reason };
}

/** A condition whose message `describe` writes the first time it is read (describeOnce). */
export function condition({ rule, severity, dedupeKey, facts }: Omit<Condition, 'message'>, describe: () => MessagePieces): Condition {
  return {
    rule,
    severity,
    dedupeKey,
    facts,
    get message() {
      return describeOnce(this, describe);
    },
  };
}

/** The facts naming the local days a condition's window covers (YYYY-MM-DD). */
export function windowFacts(startDay: number, endDay: number): Facts {
  return { windowStart: dateOfDay(startDay), windowEnd: dateOfDay(endDay) };
}

/** Why a load window cannot be judged (stale data or too little history), or null when it can. */
export function loadWindowProblem(context: RuleContext, neededDays: number): string | null {
  const stale = context.today - context.lastKnownDay;
  if (stale > MAX_STALE_DAYS) return `no synced data for the last ${stale} days: a gap is not a rest`;
  if (context.historyStartDay === null) return 'no runs yet';
  const history = context.lastKnownDay - context.historyStartDay + 1;
  if (history < neededDays) return `needs ${neededDays} days of history (has ${history})`;
  return null;
}

/** Days of the acute window and of the baseline before it, for the load rules. */
export const ACUTE_DAYS = 7;
export const BASELINE_DAYS = 28;
/** Days of history the load rules need: the acute window and its baseline. */
export const LOAD_WINDOW_DAYS = ACUTE_DAYS + BASELINE_DAYS;

/**
 * The last 7 known days against the mean week of the 28 days before them (uncoupled: the acute
 * week is not part of its own baseline), for any daily quantity the log sums.
 */
export function acuteAgainstBaseline(context: RuleContext, sumBetween: (from: number, to: number) => number) {
  const end = context.lastKnownDay;
  const acuteStart = end - ACUTE_DAYS + 1;
  return {
    acuteStart,
    end,
    acute: sumBetween(acuteStart, end),
    baselineWeekly: sumBetween(acuteStart - BASELINE_DAYS, acuteStart - 1) / (BASELINE_DAYS / 7),
  };
}

/** Compares with a little slack so a value exactly at a threshold, after float arithmetic, counts as at it. */
export const EPSILON = 1e-9;
