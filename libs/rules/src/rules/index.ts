import type { RuleId } from '@deload/domain';
import type { SomeRulePresentation } from '../presentation/rule-presentation';
import type { Rule } from './rule';
import { cadenceDrop } from './cadence-drop.rule';
import { cadenceDropPresentation } from './cadence-drop.presentation';
import { downhillSpike } from './downhill-spike.rule';
import { downhillSpikePresentation } from './downhill-spike.presentation';
import { monotony } from './monotony.rule';
import { monotonyPresentation } from './monotony.presentation';
import { painEarlier } from './pain-earlier.rule';
import { painEarlierPresentation } from './pain-earlier.presentation';
import { singleRunSpike } from './single-run-spike.rule';
import { singleRunSpikePresentation } from './single-run-spike.presentation';
import { weeklyIncrease } from './weekly-increase.rule';
import { weeklyIncreasePresentation } from './weekly-increase.presentation';
import { wornShoes } from './worn-shoes.rule';
import { wornShoesPresentation } from './worn-shoes.presentation';

/** A rule and how it speaks to people: what the engine, the emails, the pages and the settings form iterate. */
export interface RegisteredRule {
  rule: Rule;
  presentation: SomeRulePresentation;
}

/** Every rule, one line each, in the order of RULE_IDS (which is also the order alerts are listed in). */
export const RULE_REGISTRY: readonly RegisteredRule[] = [
  { rule: singleRunSpike, presentation: singleRunSpikePresentation },
  { rule: weeklyIncrease, presentation: weeklyIncreasePresentation },
  { rule: painEarlier, presentation: painEarlierPresentation },
  { rule: wornShoes, presentation: wornShoesPresentation },
  { rule: cadenceDrop, presentation: cadenceDropPresentation },
  { rule: downhillSpike, presentation: downhillSpikePresentation },
  { rule: monotony, presentation: monotonyPresentation },
];

export const RULES: readonly Rule[] = RULE_REGISTRY.map((entry) => entry.rule);

export const RULE_ORDER: ReadonlyMap<RuleId, number> = new Map(RULES.map((rule, index) => [rule.id, index]));

const PRESENTATIONS: ReadonlyMap<RuleId, SomeRulePresentation> = new Map(RULE_REGISTRY.map((entry) => [entry.rule.id, entry.presentation]));

/** How a rule speaks to people; undefined for an id no rule has (an alert of a rule since removed). */
export function presentationOf(rule: RuleId): SomeRulePresentation | undefined {
  return PRESENTATIONS.get(rule);
}

/** Each rule's page title by id (for the charts' tooltips, which get it as JSON). */
export const RULE_TITLES: Readonly<Record<RuleId, string>> = Object.fromEntries(
  RULE_REGISTRY.map((entry) => [entry.rule.id, entry.presentation.title]),
) as Record<RuleId, string>;

export type { Rule, RuleContext, RuleResult } from './rule';
