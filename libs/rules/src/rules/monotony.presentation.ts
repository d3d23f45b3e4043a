import { formatDistance, formatTimes } from '../presentation/format';
import { figure, RulePresentation } from '../presentation/rule-presentation';

export const monotonyPresentation: RulePresentation<'monotony'> = {
  rule: 'monotony',
  title: 'Every day the same (monotony)',
  label: 'monotony',
  listName: 'monotonous week',
  subject: () => 'Your training week was heavy and very much the same every day',
  facts: (facts, units) => [
    figure('Monotony (7 days)', facts.monotony, formatTimes),
    figure('Last 7 days', facts.weeklyM, (metres) => formatDistance(metres, units)),
    figure('Your typical week', facts.medianWeeklyM, (metres) => formatDistance(metres, units)),
  ],
  thresholdFields: [{ key: 'info', label: 'Mention monotony above', kind: 'times' }],
};
