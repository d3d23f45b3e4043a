import type { RuleId } from '@deload/domain';
import type { Rule } from './rule';
import { cadenceDrop } from './cadence-drop.rule';
import { downhillSpike } from './downhill-spike.rule';
import { monotony } from './monotony.rule';
import { painEarlier } from './pain-earlier.rule';
import { singleRunSpike } from './single-run-spike.rule';
import { weeklyIncrease } from './weekly-increase.rule';
import { wornShoes } from './worn-shoes.rule';

/** Every rule, in the order of RULE_IDS (which is also the order alerts are listed in). */
export const RULES: readonly Rule[] = [singleRunSpike, weeklyIncrease, painEarlier, wornShoes, cadenceDrop, downhillSpike, monotony];

export const RULE_ORDER: ReadonlyMap<RuleId, number> = new Map(RULES.map((rule, index) => [rule.id, index]));

export type { Rule, RuleContext, RuleResult } from './rule';
