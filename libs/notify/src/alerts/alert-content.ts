import type { DistanceUnit, Severity } from '@deload/domain';
import { alertContent, type StoredAlert } from '@deload/rules';

/** A signal told in a few lines: "also this week" in an alert email, "watch this week" in the weekly summary. */
export interface BriefContent {
  severity: Severity;
  severityLabel: string;
  /** What and how much, in one sentence (the subject it would have as an email of its own). */
  subject: string;
  facts: { label: string; value: string }[];
  /** The first thing to do about it. */
  suggestion: string | null;
}

export function briefContent(alert: StoredAlert, units: DistanceUnit): BriefContent {
  const content = alertContent(alert, units);
  return {
    severity: alert.severity,
    severityLabel: content.severityLabel,
    subject: content.subject,
    facts: content.facts,
    suggestion: content.suggestions[0] ?? null,
  };
}

/**
 * Drops a signal's suggestion when an earlier one in the same email already gives that advice (e.g.
 * both say to cut the next 7 days by 20–30 %, over slightly different weeks): the numbers would
 * differ and the runner would wonder which to follow.
 */
export function withoutRepeatedAdvice(briefs: BriefContent[], alreadyGiven: readonly string[] = []): BriefContent[] {
  const gist = (text: string) => text.replace(/\s*\([^)]*\)/g, '').trim();
  const given = new Set(alreadyGiven.map(gist));
  return briefs.map((brief) => {
    if (!brief.suggestion) return brief;
    if (given.has(gist(brief.suggestion))) return { ...brief, suggestion: null };
    given.add(gist(brief.suggestion));
    return brief;
  });
}
