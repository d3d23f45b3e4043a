import { DistanceUnit, fromUnit, invalid, RULE_IDS, RuleId, toUnit } from '@deload/domain';
import { DEFAULT_THRESHOLDS, parseThresholds, type Thresholds } from '@deload/rules';

/**
 * How a stored threshold is shown and typed on the settings form:
 * - `overPercent`: a ratio above 1 shown as "% more" (1.3 ↔ 30)
 * - `percent`: a fraction shown as a percentage (0.05 ↔ 5)
 * - `distance`: metres shown in the runner's unit (km or mi)
 * - `metres`, `minutes`, `days`, `times`: as they read
 */
export type FieldKind = 'overPercent' | 'percent' | 'distance' | 'metres' | 'minutes' | 'days' | 'times';

export interface ThresholdField {
  rule: RuleId | null;
  key: string;
  label: string;
  kind: FieldKind;
}

/** The thresholds a runner can change on the settings page; the JSON API accepts every one (see libs/rules). */
export const THRESHOLD_FIELDS: readonly ThresholdField[] = [
  {
    rule: 'single-run-spike',
    key: 'caution',
    label: 'Caution when a run is this much longer than the longest of the 30 days before',
    kind: 'overPercent',
  },
  { rule: 'single-run-spike', key: 'high', label: 'High when it is this much longer', kind: 'overPercent' },
  {
    rule: 'weekly-increase',
    key: 'caution',
    label: 'Caution when the last 7 days are this much above the 4 weeks before',
    kind: 'overPercent',
  },
  { rule: 'weekly-increase', key: 'minBaseWeeklyM', label: 'Only once the 4 weeks before averaged at least (per week)', kind: 'distance' },
  {
    rule: 'pain-earlier',
    key: 'earlierFraction',
    label: 'Count pain as earlier when it starts at least this much sooner',
    kind: 'percent',
  },
  { rule: 'pain-earlier', key: 'highOnsetM', label: 'High when pain starts within the first', kind: 'distance' },
  { rule: 'pain-earlier', key: 'highOnsetS', label: 'or within the first (minutes)', kind: 'minutes' },
  { rule: 'worn-shoes', key: 'infoM', label: 'Mention a shoe from', kind: 'distance' },
  { rule: 'worn-shoes', key: 'warningM', label: 'Suggest retiring it at (unless the shoe has its own limit)', kind: 'distance' },
  { rule: 'cadence-drop', key: 'caution', label: 'Caution when cadence drops by', kind: 'percent' },
  { rule: 'downhill-spike', key: 'caution', label: 'Caution when the last 7 days’ descent is this many times the usual', kind: 'times' },
  { rule: 'downhill-spike', key: 'minLossM', label: 'and at least (metres of descent)', kind: 'metres' },
  { rule: 'monotony', key: 'info', label: 'Mention monotony above', kind: 'times' },
  { rule: null, key: 'cooldownDays', label: 'A sign that comes back within this many days is the same episode, not a new email', kind: 'days' },
];

export function fieldName(field: ThresholdField): string {
  return field.rule ? `${field.rule}.${field.key}` : field.key;
}

function stored(thresholds: Thresholds, field: ThresholdField): number {
  const holder = (field.rule ? thresholds[field.rule] : thresholds) as unknown as Record<string, number>;
  return holder[field.key];
}

/** A stored value as the form shows it. */
export function toFormValue(value: number, kind: FieldKind, units: DistanceUnit): number {
  switch (kind) {
    case 'overPercent':
      return Math.round((value - 1) * 1000) / 10;
    case 'percent':
      return Math.round(value * 1000) / 10;
    case 'distance':
      return toUnit(value, units, 1);
    case 'minutes':
      return Math.round((value / 60) * 10) / 10;
    default:
      return value;
  }
}

export function fromFormValue(value: number, kind: FieldKind, units: DistanceUnit): number {
  switch (kind) {
    case 'overPercent':
      return 1 + value / 100;
    case 'percent':
      return value / 100;
    case 'distance':
      return fromUnit(value, units);
    case 'minutes':
      return value * 60;
    default:
      return value;
  }
}

export interface FormThreshold extends ThresholdField {
  name: string;
  value: number;
  defaultValue: number;
}

/** The form's fields with the runner's current values, in their units. */
export function thresholdForm(thresholds: Thresholds, units: DistanceUnit): { fields: FormThreshold[]; enabled: Record<RuleId, boolean> } {
  const fields = THRESHOLD_FIELDS.map((field) => ({
    ...field,
    name: fieldName(field),
    value: toFormValue(stored(thresholds, field), field.kind, units),
    defaultValue: toFormValue(stored(DEFAULT_THRESHOLDS, field), field.kind, units),
  }));
  const enabled = Object.fromEntries(RULE_IDS.map((rule) => [rule, thresholds[rule].enabled])) as Record<RuleId, boolean>;
  return { fields, enabled };
}

/**
 * Turns the submitted form into stored overrides: only what differs from the defaults, so a later
 * change of a default still reaches runners who never touched it. A value shown rounded (800 km is
 * 497.1 mi) and sent back unchanged keeps its exact stored value. Validated by libs/rules.
 */
export function overridesFromForm(
  form: Record<string, unknown>,
  units: DistanceUnit,
  current: Thresholds = DEFAULT_THRESHOLDS,
): Record<string, unknown> {
  const overrides: Record<string, Record<string, unknown> | number> = {};
  const set = (rule: RuleId | null, key: string, value: unknown) => {
    if (!rule) overrides[key] = value as number;
    else overrides[rule] = { ...((overrides[rule] as Record<string, unknown>) ?? {}), [key]: value };
  };
  for (const field of THRESHOLD_FIELDS) {
    const value = submittedValue(form, field, units, current);
    if (value !== undefined && value !== stored(DEFAULT_THRESHOLDS, field)) set(field.rule, field.key, value);
  }
  for (const rule of RULE_IDS) {
    const enabled = form[`${rule}.enabled`] !== undefined;
    if (enabled !== DEFAULT_THRESHOLDS[rule].enabled) set(rule, 'enabled', enabled);
  }
  validateOverrides(overrides);
  return overrides;
}

/** The stored value a form field asks for; undefined when the field was left empty. */
function submittedValue(
  form: Record<string, unknown>,
  field: ThresholdField,
  units: DistanceUnit,
  current: Thresholds,
): number | undefined {
  const raw = form[fieldName(field)];
  if (raw === undefined || raw === '') return undefined;
  const typed = Number(String(raw).replace(',', '.'));
  if (!Number.isFinite(typed)) throw invalid(`“${field.label}” must be a number (got "${String(raw)}")`);
  checkTyped(field, typed);
  for (const known of [stored(current, field), stored(DEFAULT_THRESHOLDS, field)]) {
    if (toFormValue(known, field.kind, units) === typed) return known;
  }
  return fromFormValue(typed, field.kind, units);
}

/** parseThresholds' problems in the form's words: field names become their labels, stored values are left out. */
function validateOverrides(overrides: Record<string, unknown>): void {
  try {
    parseThresholds(overrides);
  } catch (error) {
    const problems = ((error as { details?: { problems?: string[] } }).details?.problems ?? [(error as Error).message]).map((problem) =>
      THRESHOLD_FIELDS.reduce(
        (text, field) => text.split(fieldName(field)).join(`“${field.label}”`),
        problem.replace(/ \(got [^)]*\)$/, ''),
      ),
    );
    throw invalid(problems.join('; '), { problems });
  }
}

function checkTyped(field: ThresholdField, value: number): void {
  if (value <= 0) throw invalid(`“${field.label}” must be more than 0`);
  if (field.kind === 'percent' && value >= 100) throw invalid(`“${field.label}” must be less than 100 %`);
}
