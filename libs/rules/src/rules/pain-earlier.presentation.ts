import type { DistanceUnit, PainLocation } from '@deload/domain';
import { weekdayName } from '../calendar';
import { DISCLAIMER, HIP_AND_GLUTE_WORK, RELEASE_NOT_ROLL } from '../messages';
import { formatDistance, formatDuration, formatLocalDate, formatPercent, painLabel } from '../presentation/format';
import { FactLine, figure, num, RulePresentation, str } from '../presentation/rule-presentation';
import type { LoggedPain } from '../training-log';

/** Pain at one place, as the rule judged it (the first that applies names it: early onset, run after run, earlier). */
export interface PainEarlierDetails {
  location: PainLocation;
  /** Local day of the latest painful run, and its report. */
  day: number;
  pain: LoggedPain;
  /** The painful report before it, if any. */
  previousPain?: LoggedPain;
  earlyOnset: boolean;
  /** Painful runs in a row, when that many make it high; else null. */
  runsInRow: number | null;
  /** The smallest step by which onset came earlier, when it did at every step; else null. */
  earlierBy: number | null;
}

export const painEarlierPresentation: RulePresentation<'pain-earlier', PainEarlierDetails> = {
  rule: 'pain-earlier',
  title: 'Pain arriving earlier in the run',
  label: 'pain earlier',
  listName: 'pain starting earlier',
  subject(facts, severity) {
    const pain = painLabel(str(facts.location) as PainLocation | undefined);
    const inRow = num(facts.painfulRunsInRow);
    if (facts.earlyOnset === true) return `Your ${pain} started early in your last run: time to ease off`;
    if (severity === 'high' && inRow !== undefined && inRow >= 3) return `${capitalise(pain)} on ${inRow} runs in a row: time to ease off`;
    return `Your ${pain} is starting earlier in each run`;
  },
  facts: (facts, units) => [
    ...painReports(facts.reports).map((report): FactLine => [
      `Pain on ${report.date ? formatLocalDate(report.date) : 'a run'}`,
      report.onsetM !== undefined
        ? `from ${formatDistance(report.onsetM, units)}`
        : report.onsetS !== undefined
          ? `from ${formatDuration(report.onsetS)}`
          : 'reported',
    ]),
    figure('Runs in a row with pain', facts.painfulRunsInRow, String),
    figure('Earlier each time by at least', facts.earlierByFraction, formatPercent),
  ],
  message: (details, units) => ({
    headline: headline(details, units),
    explanation:
      'Pain that comes on at a set point of the run and arrives earlier each time is the typical course of an overuse injury such as IT band syndrome; caught early, it usually settles with less load.',
    suggestions: [
      'Stop your run at the point the pain starts; walking home is fine.',
      'Run less and keep it easy and flat until a run is pain-free; cross-train (cycling can aggravate an IT band, swimming rarely does) instead.',
      HIP_AND_GLUTE_WORK,
      RELEASE_NOT_ROLL,
      'If the pain lasts around two weeks, see a physiotherapist or sports doctor.',
    ],
    disclaimer: DISCLAIMER,
  }),
  thresholdFields: [
    { key: 'earlierFraction', label: 'Count pain as earlier when it starts at least this much sooner', kind: 'percent' },
    { key: 'highOnsetM', label: 'High when pain starts within the first', kind: 'distance' },
    { key: 'highOnsetS', label: 'or within the first (minutes)', kind: 'minutes' },
  ],
};

function headline(
  { location, day, pain, previousPain, earlyOnset, runsInRow, earlierBy }: PainEarlierDetails,
  units: DistanceUnit,
): string {
  const label = painLabel(location);
  const onset = (report: LoggedPain) =>
    report.onsetM !== null
      ? formatDistance(report.onsetM, units)
      : report.onsetS !== null
        ? formatDuration(report.onsetS)
        : 'an unknown point';
  const weekday = weekdayName(day);
  if (earlyOnset) return `Your ${label} started within ${onset(pain)} of ${weekday}'s run.`;
  if (runsInRow !== null) return `You have had ${label} on your last ${runsInRow} runs in a row.`;
  const before = previousPain ? ` after ${onset(previousPain)} the time before` : '';
  return `Your ${label} is starting earlier: at ${onset(pain)} on ${weekday}${before} (${formatPercent(earlierBy!)} sooner).`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function painReports(value: unknown): { date?: string; onsetM?: number; onsetS?: number }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((report): report is Record<string, unknown> => typeof report === 'object' && report !== null)
    .map((report) => ({ date: str(report.date), onsetM: num(report.onsetM), onsetS: num(report.onsetS) }));
}
