import { formatMetres, formatTimes } from '../presentation/format';
import { figure, num, RulePresentation } from '../presentation/rule-presentation';

export const downhillSpikePresentation: RulePresentation<'downhill-spike'> = {
  rule: 'downhill-spike',
  title: 'More downhill than usual',
  label: 'downhill',
  listName: 'downhill spike',
  subject(facts) {
    const loss = num(facts.acuteLossM);
    const ratio = num(facts.ratio);
    if (loss === undefined) return undefined;
    return ratio !== undefined
      ? `${formatMetres(loss)} of downhill this week, ${formatTimes(ratio)} times your usual`
      : `${formatMetres(loss)} of downhill this week, far more than usual`;
  },
  facts: (facts) => [
    figure('Descent, last 7 days', facts.acuteLossM, formatMetres),
    figure('Your usual week', facts.baselineWeeklyLossM, formatMetres),
  ],
  thresholdFields: [
    { key: 'caution', label: 'Caution when the last 7 days’ descent is this many times the usual', kind: 'times' },
    { key: 'minLossM', label: 'and at least (metres of descent)', kind: 'metres' },
  ],
};
