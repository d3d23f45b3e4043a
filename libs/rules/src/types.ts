import type { DistanceUnit, PainLocation, RuleId, Severity } from '@deload/domain';
import type { Thresholds } from './thresholds';

/** A run as the engine needs it (a subset of MappedRun / RunEntity; SI units). Only running sports. */
export interface EngineRun {
  id: string;
  startUtc: Date;
  distanceM: number;
  movingS?: number | null;
  elapsedS?: number | null;
  elevationLossM?: number | null;
  avgCadenceSpm?: number | null;
  shoeId?: string | null;
}

/** A runner's report about one run: pain (where, how far in) or an explicit "no pain". */
export interface EnginePainReport {
  runId: string;
  hasPain: boolean;
  location?: PainLocation | null;
  onsetM?: number | null;
  onsetS?: number | null;
  severity?: number | null;
}

/** A shoe with its distance as of the evaluation. */
export interface EngineShoe {
  id: string;
  name: string;
  /** Total distance as of the evaluation, metres; null when nothing is known. */
  distanceM: number | null;
  /** True when the total only counts the runs we saw (the shoe's earlier distance is unknown). */
  distanceIsLowerBound?: boolean;
  /** The runner's own retire distance (or Strava notification_distance), metres. */
  retireThresholdM?: number | null;
  retired?: boolean;
}

export interface RunnerProfile {
  /** IANA zone: days and weeks are counted in it. */
  timezone: string;
  /** Validated thresholds (parseThresholds); defaults when absent. */
  thresholds?: Thresholds;
  /** Units of the distances written into messages; facts stay in metres. Default km. */
  units?: DistanceUnit;
}

export interface EvaluationInput {
  profile: RunnerProfile;
  /** The instant evaluated; runs after it are ignored. */
  asOf: Date;
  /**
   * History is complete up to this instant (users.last_synced_at). Later days are unknown, not
   * rest: load windows end at its local day. Null/absent: complete up to the latest run given.
   */
  syncedThrough?: Date | null;
  /** Start of the runner's first run ever (it may lie before the window). Absent: the earliest run given. */
  historyStart?: Date | null;
  /** At least the runs since windowStart(asOf, timezone); older ones are ignored. */
  runs: readonly EngineRun[];
  painReports?: readonly EnginePainReport[];
  shoes?: readonly EngineShoe[];
}

/** Human pieces of an alert, with distances in the runner's units. */
export interface MessagePieces {
  /** One sentence with the number that triggered it. */
  headline: string;
  /** Why it matters, with the evidence in a sentence. */
  explanation: string;
  /** Concrete, kind things to do next. */
  suggestions: string[];
  /** Always the same: a suggestion, not medical advice; see a professional if pain lasts. */
  disclaimer: string;
}

export type FactValue = number | string | boolean | null | FactValue[] | { [key: string]: FactValue };
export type Facts = Record<string, FactValue>;

/** A warning sign that holds as of the evaluation. */
export interface Condition {
  rule: RuleId;
  severity: Severity;
  /** Episode key: at most one open alert per (runner, rule, dedupeKey). */
  dedupeKey: string;
  /** The numbers behind it, SI units (metres, seconds, steps/min), dates as YYYY-MM-DD. */
  facts: Facts;
  message: MessagePieces;
}

/**
 * Whether a rule could judge: `triggered` and `clear` are judgements (open alerts of a rule that is
 * clear resolve); `insufficient-data` means it could not tell (open alerts stay as they are).
 */
export type RuleStatus = 'triggered' | 'clear' | 'insufficient-data' | 'disabled';

export interface RuleNote {
  rule: RuleId;
  status: RuleStatus;
  /** Why, in a sentence, e.g. "needs 35 days of history (has 12)". */
  reason: string;
}

export interface Evaluation {
  /** Local date of the evaluation (YYYY-MM-DD). */
  date: string;
  conditions: Condition[];
  /** Rules whose verdict is known: their open alerts without a matching condition resolve. */
  judgedRules: RuleId[];
  /** One note per rule, for debugging and the dashboard's "why no alert". */
  notes: RuleNote[];
}
