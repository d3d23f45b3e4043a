import { deloadSuggestions, DISCLAIMER } from '../messages';
import { formatDistance, formatPercent } from '../presentation/format';
import { figure, num, RulePresentation } from '../presentation/rule-presentation';

/** The last 7 days against the mean week of the 4 weeks before. */
export interface WeeklyIncreaseDetails {
  acuteM: number;
  baselineWeeklyM: number;
  ratio: number;
}

export const weeklyIncreasePresentation: RulePresentation<'weekly-increase', WeeklyIncreaseDetails> = {
  rule: 'weekly-increase',
  title: 'Weekly distance rising fast',
  label: 'weekly jump',
  listName: 'weekly distance jump',
  subject(facts, _severity, units) {
    const ratio = num(facts.ratio);
    const acute = num(facts.acuteM);
    const base = num(facts.baselineWeeklyM);
    if (ratio === undefined || acute === undefined || base === undefined) return undefined;
    return `You ran ${formatPercent(ratio - 1)} more this week than usual (${formatDistance(acute, units)} against ${formatDistance(base, units)})`;
  },
  facts: (facts, units) => [
    figure('Last 7 days', facts.acuteM, (metres) => formatDistance(metres, units)),
    figure('Your average week, the 4 weeks before', facts.baselineWeeklyM, (metres) => formatDistance(metres, units)),
    figure('Change', facts.ratio, (ratio) => `+${formatPercent(ratio - 1)}`),
  ],
  message: ({ acuteM, baselineWeeklyM, ratio }, units) => ({
    headline: `You ran ${formatDistance(acuteM, units)} in the last 7 days, ${formatPercent(ratio - 1)} more than your average week of ${formatDistance(baselineWeeklyM, units)} over the 4 weeks before.`,
    explanation:
      'Novice runners who raised their weekly distance by more than 30 % seemed more prone to distance-related injuries such as IT band syndrome (Nielsen et al., 2014). Tendons and the IT band adapt more slowly than heart and lungs.',
    suggestions: deloadSuggestions(acuteM, units),
    disclaimer: DISCLAIMER,
  }),
  thresholdFields: [
    { key: 'caution', label: 'Caution when the last 7 days are this much above the 4 weeks before', kind: 'overPercent' },
    { key: 'minBaseWeeklyM', label: 'Only once the 4 weeks before averaged at least (per week)', kind: 'distance' },
  ],
};
