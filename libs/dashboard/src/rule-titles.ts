import type { RuleId } from '@deload/domain';

/** How each rule is named on pages: a title, and a short label for badges. */
export const RULE_TITLES: Record<RuleId, string> = {
  'single-run-spike': 'One run much longer than usual',
  'weekly-increase': 'Weekly distance rising fast',
  'pain-earlier': 'Pain arriving earlier in the run',
  'worn-shoes': 'Worn shoes',
  'cadence-drop': 'Cadence dropping',
  'downhill-spike': 'More downhill than usual',
  monotony: 'Every day the same (monotony)',
};

export const RULE_BADGES: Record<RuleId, string> = {
  'single-run-spike': 'long-run spike',
  'weekly-increase': 'weekly jump',
  'pain-earlier': 'pain earlier',
  'worn-shoes': 'worn shoes',
  'cadence-drop': 'cadence drop',
  'downhill-spike': 'downhill',
  monotony: 'monotony',
};
