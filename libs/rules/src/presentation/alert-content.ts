import type { DistanceUnit, RuleId, Severity } from '@deload/domain';
import { DISCLAIMER } from '../messages';
import { presentationOf } from '../rules';
import { str } from './rule-presentation';

/** An alert as the rules engine stored it (alerts.facts and alerts.message). */
export interface StoredAlert {
  rule: RuleId;
  severity: Severity;
  facts: Record<string, unknown>;
  message: Record<string, unknown>;
}

/** An alert in words: what an alert email says, and what the runner page shows of it. */
export interface AlertContent {
  subject: string;
  severityLabel: string;
  headline: string;
  explanation: string;
  facts: { label: string; value: string }[];
  suggestions: string[];
  disclaimer: string;
}

export const SEVERITY_LABELS: Record<Severity, string> = { info: 'Heads-up', caution: 'Caution', warning: 'Warning', high: 'High' };

/** What each severity asks of the reader, for legends beside the labels (pages). */
export const SEVERITY_MEANINGS: Record<Severity, string> = {
  info: 'worth knowing; nothing to change yet',
  caution: 'an early sign: keep an eye on the next runs',
  warning: 'a clear sign: act on the suggestion this week',
  high: 'a strong sign: ease off now',
};

/** Used when an alert carries no disclaimer of its own: the engine's. */
export const DEFAULT_DISCLAIMER = DISCLAIMER;

/**
 * The words of an alert: the subject says what and how much (the rule's presentation, from the
 * facts, in the runner's units); the body uses the engine's own headline, explanation and
 * suggestions. An alert whose facts lack a number falls back to the headline, so a new field in
 * the engine never breaks an email.
 */
export function alertContent(alert: StoredAlert, units: DistanceUnit): AlertContent {
  const presentation = presentationOf(alert.rule);
  const headline = str(alert.message.headline) ?? 'Deload noticed a warning sign in your training';
  const suggestions = Array.isArray(alert.message.suggestions)
    ? alert.message.suggestions.filter((s): s is string => typeof s === 'string')
    : [];
  const facts = (presentation?.facts(alert.facts, units) ?? [])
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([label, value]) => ({ label, value }));
  return {
    subject: presentation?.subject(alert.facts, alert.severity, units) ?? trimSentence(headline),
    severityLabel: SEVERITY_LABELS[alert.severity],
    headline,
    explanation: str(alert.message.explanation) ?? '',
    facts,
    suggestions,
    disclaimer: str(alert.message.disclaimer) ?? DEFAULT_DISCLAIMER,
  };
}

function trimSentence(text: string): string {
  const sentence = text.replace(/\.$/, '');
  return sentence.length > 110 ? `${sentence.slice(0, 107)}…` : sentence;
}
