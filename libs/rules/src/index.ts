/**
 * @deload/rules — the pure rules engine: warning signs of overuse injury from a runner's runs,
 * shoes and pain reports (no framework, database, clock or network). See docs/rules.md.
 */
export { dateOfDay, dayOfDate, LocalCalendar, mondayOf, weekdayOf } from './calendar';
export { evaluate, evaluateDay, windowStart, WINDOW_DAYS } from './engine';
export {
  atLeast,
  decideEmail,
  EVIDENCE_ORDER,
  higherSeverity,
  isStrong,
  isStrongest,
  leadOrder,
  levelAllows,
  PERSISTENT_DAYS,
  WEEK_DAYS,
  type EmailPolicyDecision,
  type EmailPolicyInput,
  type PastAlert,
  type PolicySignal,
  type Signal,
} from './email-policy';
export {
  cooldownDays,
  decideLifecycle,
  lookbackDays,
  type AlertSnapshot,
  type EmailMark,
  type EmailRole,
  type LifecycleDecision,
  type LifecycleInput,
} from './lifecycle';
export { DISCLAIMER } from './messages';
export { alertContent, DEFAULT_DISCLAIMER, SEVERITY_LABELS, type AlertContent, type StoredAlert } from './presentation/alert-content';
export {
  formatChange,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatLocalDate,
  formatMetres,
  formatPercent,
  formatShortDate,
  formatTimes,
  painLabel,
} from './presentation/format';
export type { FactLine, RulePresentation, SomeRulePresentation, StoredFacts, ThresholdFieldSpec } from './presentation/rule-presentation';
export { FIELD_KINDS, fromFormValue, toFormValue, type FieldKind, type FieldKindSpec } from './presentation/threshold-field';
export {
  acwrSeries,
  singleRunRatios,
  weeklyDistanceSeries,
  type AcwrPoint,
  type DateRange,
  type MetricRun,
  type SingleRunRatio,
  type WeeklyDistance,
} from './metrics';
export {
  Replay,
  type AthleteStats,
  type LineProblem,
  type ReplayAlert,
  type ReplayOptions,
  type ReplayResult,
  type ReplaySignal,
  type SignalCount,
} from './replay/replay';
export { presentationOf, RULE_REGISTRY, RULE_TITLES, RULES, type RegisteredRule } from './rules';
export { DEFAULT_THRESHOLDS, parseThresholds, thresholdsSchema, type Thresholds } from './thresholds';
export { TrainingLog, type LoggedPain, type LoggedRun } from './training-log';
export type * from './types';
export { ROTATION_DAYS, ROTATION_MIN_RUNS } from './rules/worn-shoes.rule';
