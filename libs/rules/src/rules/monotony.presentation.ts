import { DISCLAIMER } from '../messages';
import { formatDistance, formatTimes } from '../presentation/format';
import { figure, RulePresentation } from '../presentation/rule-presentation';

/** A heavy week, much the same every day; monotony is Infinity when every day was the same. */
export interface MonotonyDetails {
  runDays: number;
  monotony: number;
  weeklyM: number;
  medianWeeklyM: number;
}

export const monotonyPresentation: RulePresentation<'monotony', MonotonyDetails> = {
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
  message: ({ runDays, monotony, weeklyM, medianWeeklyM }, units) => ({
    headline: `Your last 7 days were very much alike (${runDays} running days, monotony ${Number.isFinite(monotony) ? formatTimes(monotony) : 'very high'}) at a higher load than usual: ${formatDistance(weeklyM, units)} against a typical ${formatDistance(medianWeeklyM, units)}.`,
    explanation:
      'Training that is both heavy and the same every day leaves little room to recover: Foster (1998) found that athletes fell ill mostly when their load combined with monotony (little day-to-day variation) went past their usual level.',
    suggestions: [
      'Make the week vary: follow a harder or longer day with an easy one, and take a full rest day.',
      'Keep your easy days truly easy, short and flat.',
    ],
    disclaimer: DISCLAIMER,
  }),
  thresholdFields: [{ key: 'info', label: 'Mention monotony above', kind: 'times' }],
};
