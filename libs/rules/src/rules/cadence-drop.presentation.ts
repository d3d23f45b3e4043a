import { formatPercent } from '../presentation/format';
import { figure, num, RulePresentation } from '../presentation/rule-presentation';

const stepsPerMinute = (spm: number) => `${Math.round(spm)} steps/min`;

export const cadenceDropPresentation: RulePresentation<'cadence-drop'> = {
  rule: 'cadence-drop',
  title: 'Cadence dropping',
  label: 'cadence drop',
  listName: 'cadence drop',
  subject(facts) {
    const drop = num(facts.dropFraction);
    return drop !== undefined ? `Your step rate dropped ${formatPercent(drop)} at the same pace` : undefined;
  },
  facts: (facts) => [
    figure('Recent runs', facts.recentCadenceSpm, stepsPerMinute),
    figure('Usual at that pace', facts.baselineCadenceSpm, stepsPerMinute),
    figure('Lower by', facts.dropFraction, formatPercent),
  ],
  thresholdFields: [{ key: 'caution', label: 'Caution when cadence drops by', kind: 'percent' }],
};
