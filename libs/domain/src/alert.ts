export const SEVERITIES = ['info', 'caution', 'warning', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const RULE_IDS = [
  'single-run-spike',
  'weekly-increase',
  'pain-earlier',
  'worn-shoes',
  'cadence-drop',
  'downhill-spike',
  'monotony',
] as const;
export type RuleId = (typeof RULE_IDS)[number];
