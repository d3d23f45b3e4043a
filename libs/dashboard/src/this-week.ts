import type { AlertResponse, RuleId, Severity } from '@deload/domain';
import { leadOrder } from '@deload/rules';

/** An alert as "this week" weighs it (the runner page's alert entries). */
export interface WeighedAlert {
  id: string;
  rule: RuleId;
  severity: Severity;
  state: 'open' | 'resolved';
  response: AlertResponse | null;
  email: { headline: string; suggestions: string[] } | null;
}

/** What to do this week: the suggestions of the open alert an email would lead with, and the other open signs. */
export interface ThisWeek {
  /** Null: no open alert that nobody dismissed, so nothing calls for a change. */
  lead: {
    alertId: string;
    rule: RuleId;
    severity: Severity;
    response: AlertResponse | null;
    headline: string | null;
    suggestions: string[];
  } | null;
  /** The other open signs nobody dismissed, strongest evidence first. */
  others: { alertId: string; rule: RuleId; severity: Severity }[];
  /** Open alerts someone dismissed (left out above). */
  dismissed: number;
}

/**
 * The runner page's opening card. The lead is chosen as an alert email chooses it (leadOrder: strong
 * signals first, then the strength of the evidence, then severity), so the page and the inbox agree.
 */
export function thisWeek(alerts: readonly WeighedAlert[]): ThisWeek {
  const open = alerts.filter((alert) => alert.state === 'open');
  const standing = open.filter((alert) => alert.response !== 'dismissed').sort(leadOrder);
  const [lead, ...others] = standing;
  return {
    lead: lead
      ? {
          alertId: lead.id,
          rule: lead.rule,
          severity: lead.severity,
          response: lead.response,
          headline: lead.email?.headline ?? null,
          suggestions: lead.email?.suggestions ?? [],
        }
      : null,
    others: others.map((alert) => ({ alertId: alert.id, rule: alert.rule, severity: alert.severity })),
    dismissed: open.length - standing.length,
  };
}
