import { formatDistance, formatLocalDate, formatPercent, formatTimes } from '../presentation/format';
import { figure, num, RulePresentation, str } from '../presentation/rule-presentation';

export const singleRunSpikePresentation: RulePresentation<'single-run-spike'> = {
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
  thresholdFields: [
    { key: 'caution', label: 'Caution when a run is this much longer than the longest of the 30 days before', kind: 'overPercent' },
    { key: 'high', label: 'High when it is this much longer', kind: 'overPercent' },
  ],
};
