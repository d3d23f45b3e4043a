import { DISCLAIMER, HIP_AND_GLUTE_WORK } from '../messages';
import { formatPercent } from '../presentation/format';
import { figure, num, RulePresentation } from '../presentation/rule-presentation';

/** The mean cadence of the last runs against the usual cadence at their pace. */
export interface CadenceDropDetails {
  runs: number;
  recentSpm: number;
  baselineSpm: number;
  drop: number;
}

const stepsPerMinute = (spm: number) => `${Math.round(spm)} steps/min`;

export const cadenceDropPresentation: RulePresentation<'cadence-drop', CadenceDropDetails> = {
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
  message: ({ runs, recentSpm, baselineSpm, drop }) => ({
    headline: `Your step rate over your last ${runs} runs was ${formatPercent(drop)} lower than usual at the same pace (${Math.round(recentSpm)} against ${Math.round(baselineSpm)} steps a minute).`,
    explanation:
      'Longer, slower strides load the knee and hip more; at the same speed, a step rate 5–10 % higher lowers that load (Heiderscheit et al., 2011). A cadence that drops can be a sign of tired or sore legs.',
    suggestions: [
      'Take an easy day or two and see whether your cadence comes back.',
      'On easy runs, aim for slightly shorter, quicker steps (about 5 % more steps a minute) without running faster.',
      HIP_AND_GLUTE_WORK,
    ],
    disclaimer: DISCLAIMER,
  }),
  thresholdFields: [{ key: 'caution', label: 'Caution when cadence drops by', kind: 'percent' }],
};
