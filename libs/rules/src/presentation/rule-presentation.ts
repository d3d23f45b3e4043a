import type { DistanceUnit, RuleId, Severity } from '@deload/domain';
import type { Thresholds } from '../thresholds';
import type { MessagePieces } from '../types';
import type { FieldKind } from './threshold-field';

/** An alert's facts as stored (alerts.facts): read with `num` and `str`, since old rows may lack a field. */
export type StoredFacts = Record<string, unknown>;

/** A labelled figure under an alert (email and runner page); a value of undefined leaves the line out. */
export type FactLine = readonly [label: string, value: string | undefined];

/** The names of a rule's numeric settings (thresholds.ts), rule by rule. */
type SettingKey<R extends RuleId> = R extends RuleId ? Exclude<keyof Thresholds[R] & string, 'enabled'> : never;

/** A rule's own setting that the settings page offers (the JSON API accepts every one). */
export interface ThresholdFieldSpec<R extends RuleId = RuleId> {
  key: SettingKey<R>;
  label: string;
  /** How it is shown and typed: its unit and limits (threshold-field.ts). */
  kind: FieldKind;
}

/**
 * How a rule speaks to people: everything but the detection, which is the rule file's. Pure, one per
 * rule, next to it (`<rule>.presentation.ts`), registered with it in rules/index.ts. The rule writes
 * its alert's message with it; the pages (libs/dashboard, apps/api), the emails (libs/notify) and
 * the settings form (libs/settings) read it.
 */
export interface RulePresentation<R extends RuleId = RuleId, Details = never> {
  rule: R;
  /** The name on pages: headings, the settings form, chart tooltips. */
  title: string;
  /** A short label for badges. */
  label: string;
  /** How an email names it in a list of signs ("warning: pain starting earlier"). */
  listName: string;
  /**
   * An alert email's subject: what and how much, from the stored facts in the runner's units.
   * Undefined when a number it needs is missing (the email then uses the headline).
   */
  subject(facts: StoredFacts, severity: Severity, units: DistanceUnit): string | undefined;
  /** The figures listed under the alert in an email and on the runner page. */
  facts(facts: StoredFacts, units: DistanceUnit): FactLine[];
  /**
   * The alert's message as the engine stores it: a headline with the number that triggered it, why
   * it matters, what to do (the suggestions). `Details` are the rule's exact figures (the stored
   * facts are rounded).
   */
  message(details: Details, units: DistanceUnit): MessagePieces;
  /** The settings a runner may change on the settings page, in the order shown. */
  thresholdFields: readonly ThresholdFieldSpec<R>[];
}

/** Any rule's presentation (a union, so each keeps its own setting names). */
export type SomeRulePresentation = { [R in RuleId]: RulePresentation<R> }[RuleId];

/** A finite number from stored facts, else undefined. */
export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** A non-empty string from stored facts, else undefined. */
export const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** A fact line whose value is written only when the number is there. */
export function figure(label: string, value: unknown, write: (value: number) => string): FactLine {
  const number = num(value);
  return [label, number === undefined ? undefined : write(number)];
}
