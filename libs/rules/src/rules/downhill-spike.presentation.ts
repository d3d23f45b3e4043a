import { DISCLAIMER, HIP_AND_GLUTE_WORK } from '../messages';
import { formatMetres, formatTimes } from '../presentation/format';
import { figure, num, RulePresentation } from '../presentation/rule-presentation';

/** Descent of the last 7 days against the usual week; ratio null when the usual week had none. */
export interface DownhillSpikeDetails {
  acuteLossM: number;
  baselineWeeklyLossM: number;
  ratio: number | null;
}

export const downhillSpikePresentation: RulePresentation<'downhill-spike', DownhillSpikeDetails> = {
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
  message: ({ acuteLossM, baselineWeeklyLossM, ratio }) => ({
    headline: `You ran ${formatMetres(acuteLossM)} downhill in the last 7 days, ${ratio === null ? 'far more than' : `${formatTimes(ratio)} times`} your usual week (${formatMetres(baselineWeeklyLossM)}).`,
    explanation:
      'Downhill, your knee lands straighter, right in the range where the IT band presses on the outside of the knee (Orchard et al., 1996), so a sudden jump in descent loads exactly the spot IT band syndrome hurts.',
    suggestions: [
      'Keep the next week flat or gently rolling, and walk the steep descents.',
      'Shorten your stride and land softly when you do go downhill.',
      HIP_AND_GLUTE_WORK,
    ],
    disclaimer: DISCLAIMER,
  }),
  thresholdFields: [
    { key: 'caution', label: 'Caution when the last 7 days’ descent is this many times the usual', kind: 'times' },
    { key: 'minLossM', label: 'and at least (metres of descent)', kind: 'metres' },
  ],
};
