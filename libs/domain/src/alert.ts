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

/**
 * How many alert emails a runner wants: `all` (as they happen, the default), `strongest` (only
 * pain coming earlier and high alerts) or `none` (the weekly summary only). See libs/rules → email-policy.ts.
 */
export const ALERT_EMAIL_LEVELS = ['all', 'strongest', 'none'] as const;
export type AlertEmailLevel = (typeof ALERT_EMAIL_LEVELS)[number];
