import { weekdayName } from '../calendar';
import { deloadSuggestions, DISCLAIMER } from '../messages';
import { formatDistance, formatLocalDate, formatPercent, formatTimes } from '../presentation/format';
import { figure, num, RulePresentation, str } from '../presentation/rule-presentation';
import type { LoggedRun } from '../training-log';

/** The spike as the rule found it. */
export interface SpikeDetails {
  run: LoggedRun;
  /** The longest run of the 30 days before it. */
  longestM: number;
  ratio: number;
  severity: 'caution' | 'high';
  /** Distance of the 7 days ending with the run (the deload advice cuts it). */
  weekM: number;
}

export const singleRunSpikePresentation: RulePresentation<'single-run-spike', SpikeDetails> = {
  rule: 'single-run-spike',
  title: 'One run much longer than usual',
  label: 'long-run spike',
  listName: 'long-run spike',
  subject(facts, severity, units) {
    const ratio = num(facts.ratio);
    const distance = num(facts.distanceM);
    if (ratio === undefined) return undefined;
    const run = distance === undefined ? 'run' : distance >= 15_000 ? 'long run' : `${formatDistance(distance, units)} run`;
    return severity === 'high' && ratio >= 2
      ? `Your ${run} was ${formatTimes(ratio)} times as long as anything in the last 30 days`
      : `Your ${run} was ${formatPercent(ratio - 1)} longer than anything in the last 30 days`;
  },
  facts(facts, units) {
    const date = str(facts.runDate);
    const distance = num(facts.distanceM);
    return [
      ['Run', date !== undefined && distance !== undefined ? `${formatDistance(distance, units)}, ${formatLocalDate(date)}` : undefined],
      figure('Longest run in the 30 days before', facts.previousLongestM, (metres) => formatDistance(metres, units)),
      figure('Longer by', facts.ratio, (ratio) => formatPercent(ratio - 1)),
    ];
  },
  message({ run, longestM, ratio, severity, weekM }, units) {
    const longer = severity === 'high' ? `${formatTimes(ratio)} times as long as` : `${formatPercent(ratio - 1)} longer than`;
    return {
      headline: `Your ${formatDistance(run.distanceM, units)} run on ${weekdayName(run.day)} was ${longer} anything in the 30 days before it (${formatDistance(longestM, units)}).`,
      explanation:
        'In a study of 5,205 runners, a single run more than 10 % longer than the longest of the previous 30 days came with a higher injury rate, and runs more than twice as long with the highest (Frandsen et al., 2025). Your legs adapt to distance more slowly than your fitness does.',
      suggestions: [
        ...deloadSuggestions(weekM, units).slice(0, 2),
        `Build your longest run back up by about 10 % at a time, from ${formatDistance(longestM, units)}.`,
      ],
      disclaimer: DISCLAIMER,
    };
  },
  thresholdFields: [
    { key: 'caution', label: 'Caution when a run is this much longer than the longest of the 30 days before', kind: 'overPercent' },
    { key: 'high', label: 'High when it is this much longer', kind: 'overPercent' },
  ],
};
