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

/**
 * What a runner or their coach said about an alert: `acknowledged` (seen it; only a rise in
 * severity emails again) or `dismissed` with a reason (not relevant: no more email for its episode).
 * See libs/rules → email-policy.ts and docs/rules.md → "When Deload emails".
 */
export const ALERT_RESPONSES = ['acknowledged', 'dismissed'] as const;
export type AlertResponse = (typeof ALERT_RESPONSES)[number];

/** Why an alert was dismissed. */
export const DISMISS_REASONS = ['planned-race', 'seeing-physio', 'wrong-data', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];
