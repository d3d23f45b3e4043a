import type { PainLocation } from '@deload/domain';
import { formatDistance, formatDuration, formatLocalDate, formatPercent, painLabel } from '../presentation/format';
import { FactLine, figure, num, RulePresentation, str } from '../presentation/rule-presentation';

export const painEarlierPresentation: RulePresentation<'pain-earlier'> = {
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
    ...painReports(facts.reports).map(
      (report): FactLine => [
        `Pain on ${report.date ? formatLocalDate(report.date) : 'a run'}`,
        report.onsetM !== undefined
          ? `from ${formatDistance(report.onsetM, units)}`
          : report.onsetS !== undefined
            ? `from ${formatDuration(report.onsetS)}`
            : 'reported',
      ],
    ),
    figure('Runs in a row with pain', facts.painfulRunsInRow, String),
    figure('Earlier each time by at least', facts.earlierByFraction, formatPercent),
  ],
  thresholdFields: [
    { key: 'earlierFraction', label: 'Count pain as earlier when it starts at least this much sooner', kind: 'percent' },
    { key: 'highOnsetM', label: 'High when pain starts within the first', kind: 'distance' },
    { key: 'highOnsetS', label: 'or within the first (minutes)', kind: 'minutes' },
  ],
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
