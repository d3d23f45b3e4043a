import { DistanceUnit, invalid, RULE_IDS, RuleId } from '@deload/domain';
import {
  DEFAULT_THRESHOLDS,
  FIELD_KINDS,
  type FieldKind,
  fromFormValue,
  parseThresholds,
  RULE_REGISTRY,
  type Thresholds,
  toFormValue,
} from '@deload/rules';

/** A threshold on the settings form: a rule's own (from its presentation, libs/rules) or one for every rule. */
export interface ThresholdField {
  rule: RuleId | null;
  key: string;
  label: string;
  kind: FieldKind;
}

/** The thresholds a runner can change on the settings page, rule by rule; the JSON API accepts every one (see libs/rules). */
export const THRESHOLD_FIELDS: readonly ThresholdField[] = [
  ...RULE_REGISTRY.flatMap(({ rule, presentation }) => presentation.thresholdFields.map((field) => ({ rule: rule.id, ...field }))),
  {
    rule: null,
    key: 'cooldownDays',
    label: 'A sign that comes back within this many days is the same episode, not a new email',
    kind: 'days',
  },
];

export function fieldName(field: ThresholdField): string {
  return field.rule ? `${field.rule}.${field.key}` : field.key;
}

function stored(thresholds: Thresholds, field: ThresholdField): number {
  const holder = (field.rule ? thresholds[field.rule] : thresholds) as unknown as Record<string, number>;
  return holder[field.key];
}

export interface FormThreshold extends ThresholdField {
  name: string;
  /** The unit printed after the input, in the runner's units. */
  unit: string;
  value: number;
  defaultValue: number;
}

/** The form's fields with the runner's current values, in their units. */
export function thresholdForm(thresholds: Thresholds, units: DistanceUnit): { fields: FormThreshold[]; enabled: Record<RuleId, boolean> } {
  const fields = THRESHOLD_FIELDS.map((field) => ({
    ...field,
    name: fieldName(field),
    unit: FIELD_KINDS[field.kind].unit(units),
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
  checkTyped(field, typed, units);
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

function checkTyped(field: ThresholdField, value: number, units: DistanceUnit): void {
  if (value <= 0) throw invalid(`“${field.label}” must be more than 0`);
  const { below, unit } = FIELD_KINDS[field.kind];
  if (below !== undefined && value >= below) throw invalid(`“${field.label}” must be less than ${below} ${unit(units)}`);
}
