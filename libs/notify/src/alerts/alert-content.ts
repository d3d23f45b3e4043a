import type { DistanceUnit, PainLocation, RuleId, Severity } from '@deload/domain';
import { DISCLAIMER } from '@deload/rules';
import { formatDistance, formatDuration, formatLocalDate, formatMetres, formatPercent, painName } from '../render/format';

/** An alert as the rules engine stored it (alerts.facts and alerts.message, see libs/rules). */
export interface StoredAlert {
  rule: RuleId;
  severity: Severity;
  facts: Record<string, unknown>;
  message: Record<string, unknown>;
}

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

/** Used when an alert carries no disclaimer of its own: the engine's. */
export const DEFAULT_DISCLAIMER = DISCLAIMER;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

interface RuleWording {
  subject(facts: Record<string, unknown>, severity: Severity, units: DistanceUnit): string | undefined;
  facts(facts: Record<string, unknown>, units: DistanceUnit): (readonly [string, string | undefined])[];
}

const WORDING: Record<RuleId, RuleWording> = {
  'single-run-spike': {
    subject: (f, severity, units) => {
      const ratio = num(f.ratio);
      const distance = num(f.distanceM);
      if (ratio === undefined) return undefined;
      const run =
        distance !== undefined && distance >= 15_000
          ? 'long run'
          : distance !== undefined
            ? `${formatDistance(distance, units)} run`
            : 'run';
      return severity === 'high' && ratio >= 2
        ? `Your ${run} was ${Math.round(ratio * 10) / 10} times as long as anything in the last 30 days`
        : `Your ${run} was ${formatPercent(ratio - 1)} longer than anything in the last 30 days`;
    },
    facts: (f, units) => [
      [
        'Run',
        str(f.runDate) && num(f.distanceM) !== undefined
          ? `${formatDistance(num(f.distanceM)!, units)}, ${formatLocalDate(str(f.runDate)!)}`
          : undefined,
      ],
      [
        'Longest run in the 30 days before',
        num(f.previousLongestM) !== undefined ? formatDistance(num(f.previousLongestM)!, units) : undefined,
      ],
      ['Longer by', num(f.ratio) !== undefined ? formatPercent(num(f.ratio)! - 1) : undefined],
    ],
  },
  'weekly-increase': {
    subject: (f, _severity, units) => {
      const ratio = num(f.ratio);
      const acute = num(f.acuteM);
      const base = num(f.baselineWeeklyM);
      if (ratio === undefined || acute === undefined || base === undefined) return undefined;
      return `You ran ${formatPercent(ratio - 1)} more this week than usual (${formatDistance(acute, units)} against ${formatDistance(base, units)})`;
    },
    facts: (f, units) => [
      ['Last 7 days', num(f.acuteM) !== undefined ? formatDistance(num(f.acuteM)!, units) : undefined],
      [
        'Your average week, the 4 weeks before',
        num(f.baselineWeeklyM) !== undefined ? formatDistance(num(f.baselineWeeklyM)!, units) : undefined,
      ],
      ['Change', num(f.ratio) !== undefined ? `+${formatPercent(num(f.ratio)! - 1)}` : undefined],
    ],
  },
  'pain-earlier': {
    subject: (f, severity) => {
      const pain = painName(str(f.location) as PainLocation | undefined);
      const inRow = num(f.painfulRunsInRow);
      if (f.earlyOnset === true) return `Your ${pain} started early in your last run: time to ease off`;
      if (severity === 'high' && inRow !== undefined && inRow >= 3)
        return `${capitalise(pain)} on ${inRow} runs in a row: time to ease off`;
      return `Your ${pain} is starting earlier in each run`;
    },
    facts: (f, units) => [
      ...painReports(f.reports).map(
        (report) =>
          [
            `Pain on ${report.date ? formatLocalDate(report.date) : 'a run'}`,
            report.onsetM !== undefined
              ? `from ${formatDistance(report.onsetM, units)}`
              : report.onsetS !== undefined
                ? `from ${formatDuration(report.onsetS)}`
                : 'reported',
          ] as const,
      ),
      ['Runs in a row with pain', num(f.painfulRunsInRow) !== undefined ? String(num(f.painfulRunsInRow)) : undefined],
      ['Earlier each time by at least', num(f.earlierByFraction) !== undefined ? formatPercent(num(f.earlierByFraction)!) : undefined],
    ],
  },
  'worn-shoes': {
    subject: (f, _severity, units) => {
      const distance = num(f.distanceM);
      const name = str(f.shoeName);
      return distance !== undefined && name ? `Your ${name} have covered ${formatDistance(distance, units)}` : undefined;
    },
    facts: (f, units) => [
      ['Shoe', str(f.shoeName)],
      ['Distance on it', num(f.distanceM) !== undefined ? formatDistance(num(f.distanceM)!, units) : undefined],
      ['Retire at', num(f.retireAtM) !== undefined ? formatDistance(num(f.retireAtM)!, units) : undefined],
    ],
  },
  'cadence-drop': {
    subject: (f) =>
      num(f.dropFraction) !== undefined ? `Your step rate dropped ${formatPercent(num(f.dropFraction)!)} at the same pace` : undefined,
    facts: (f) => [
      ['Recent runs', num(f.recentCadenceSpm) !== undefined ? `${Math.round(num(f.recentCadenceSpm)!)} steps/min` : undefined],
      ['Usual at that pace', num(f.baselineCadenceSpm) !== undefined ? `${Math.round(num(f.baselineCadenceSpm)!)} steps/min` : undefined],
      ['Lower by', num(f.dropFraction) !== undefined ? formatPercent(num(f.dropFraction)!) : undefined],
    ],
  },
  'downhill-spike': {
    subject: (f) => {
      const loss = num(f.acuteLossM);
      const ratio = num(f.ratio);
      if (loss === undefined) return undefined;
      return ratio !== undefined
        ? `${formatMetres(loss)} of downhill this week, ${Math.round(ratio * 10) / 10} times your usual`
        : `${formatMetres(loss)} of downhill this week, far more than usual`;
    },
    facts: (f) => [
      ['Descent, last 7 days', num(f.acuteLossM) !== undefined ? formatMetres(num(f.acuteLossM)!) : undefined],
      ['Your usual week', num(f.baselineWeeklyLossM) !== undefined ? formatMetres(num(f.baselineWeeklyLossM)!) : undefined],
    ],
  },
  monotony: {
    subject: () => 'Your training week was heavy and very much the same every day',
    facts: (f, units) => [
      ['Monotony (7 days)', num(f.monotony) !== undefined ? String(Math.round(num(f.monotony)! * 10) / 10) : undefined],
      ['Last 7 days', num(f.weeklyM) !== undefined ? formatDistance(num(f.weeklyM)!, units) : undefined],
      ['Your typical week', num(f.medianWeeklyM) !== undefined ? formatDistance(num(f.medianWeeklyM)!, units) : undefined],
    ],
  },
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function painReports(value: unknown): { date?: string; onsetM?: number; onsetS?: number }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((report): report is Record<string, unknown> => typeof report === 'object' && report !== null)
    .map((report) => ({ date: str(report.date), onsetM: num(report.onsetM), onsetS: num(report.onsetS) }));
}

/**
 * The words of an alert email: the subject says what and how much (from the facts, in the runner's
 * units); the body uses the engine's own headline, explanation and suggestions. An alert whose facts
 * lack a number falls back to the headline, so a new field in the engine never breaks an email.
 */
export function alertContent(alert: StoredAlert, units: DistanceUnit): AlertContent {
  const wording = WORDING[alert.rule];
  const headline = str(alert.message.headline) ?? 'Deload noticed a warning sign in your training';
  const suggestions = Array.isArray(alert.message.suggestions)
    ? alert.message.suggestions.filter((s): s is string => typeof s === 'string')
    : [];
  const facts = (wording?.facts(alert.facts, units) ?? [])
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([label, value]) => ({ label, value }));
  return {
    subject: wording?.subject(alert.facts, alert.severity, units) ?? trimSentence(headline),
    severityLabel: SEVERITY_LABELS[alert.severity],
    headline,
    explanation: str(alert.message.explanation) ?? '',
    facts,
    suggestions,
    disclaimer: str(alert.message.disclaimer) ?? DEFAULT_DISCLAIMER,
  };
}

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

function trimSentence(text: string): string {
  const sentence = text.replace(/\.$/, '');
  return sentence.length > 110 ? `${sentence.slice(0, 107)}…` : sentence;
}
