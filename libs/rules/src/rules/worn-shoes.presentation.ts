import type { Severity } from '@deload/domain';
import { DISCLAIMER } from '../messages';
import { formatDistance, formatPercent } from '../presentation/format';
import { figure, num, RulePresentation, str } from '../presentation/rule-presentation';
import type { EngineShoe } from '../types';

/** A shoe past a distance the rule names. */
export interface WornShoeDetails {
  severity: Severity;
  shoe: EngineShoe;
  distanceM: number;
  retireAtM: number;
  /** The share of recent runs done in it, when above the rotation threshold; else null. */
  concentratedShare: number | null;
}

export const wornShoesPresentation: RulePresentation<'worn-shoes', WornShoeDetails> = {
  rule: 'worn-shoes',
  title: 'Worn shoes',
  label: 'worn shoes',
  listName: 'worn shoes',
  subject(facts, _severity, units) {
    const distance = num(facts.distanceM);
    const name = str(facts.shoeName);
    return distance !== undefined && name ? `Your ${name} have covered ${formatDistance(distance, units)}` : undefined;
  },
  facts: (facts, units) => [
    ['Shoe', str(facts.shoeName)],
    figure('Distance on it', facts.distanceM, (metres) => formatDistance(metres, units)),
    figure('Retire at', facts.retireAtM, (metres) => formatDistance(metres, units)),
  ],
  message({ severity, shoe, distanceM, retireAtM, concentratedShare }, units) {
    const covered = `Your ${shoe.name} have covered ${shoe.distanceIsLowerBound ? 'at least ' : ''}${formatDistance(distanceM, units)}`;
    const suggestions =
      severity === 'warning'
        ? [`Retire this pair, or keep it for short easy runs and walking.`, 'Break in the next pair gradually, on shorter runs first.']
        : [`Plan your next pair: this one is likely to be worn out by about ${formatDistance(retireAtM, units)}.`];
    if (concentratedShare !== null) {
      suggestions.push(
        `This pair carried ${formatPercent(concentratedShare)} of your runs in the last 8 weeks: rotating two pairs spreads the load (runners who did so had fewer injuries, Malisoux et al., 2015).`,
      );
    }
    return {
      headline: severity === 'warning' ? `${covered}: time to retire them.` : `${covered}.`,
      explanation:
        'Running shoes are usually reckoned to last 480–800 km (a rule of thumb, not a measured injury threshold); worn midsoles cushion less, and a change of shoes is one more thing your legs must adapt to.',
      suggestions,
      disclaimer: DISCLAIMER,
    };
  },
  thresholdFields: [
    { key: 'infoM', label: 'Mention a shoe from', kind: 'distance' },
    { key: 'warningM', label: 'Suggest retiring it at (unless the shoe has its own limit)', kind: 'distance' },
  ],
};
