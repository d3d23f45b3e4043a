import { formatDistance } from '../presentation/format';
import { figure, num, RulePresentation, str } from '../presentation/rule-presentation';

export const wornShoesPresentation: RulePresentation<'worn-shoes'> = {
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
  thresholdFields: [
    { key: 'infoM', label: 'Mention a shoe from', kind: 'distance' },
    { key: 'warningM', label: 'Suggest retiring it at (unless the shoe has its own limit)', kind: 'distance' },
  ],
};
