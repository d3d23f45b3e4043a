import type { AlertResponse, DismissReason } from '@deload/domain';

/** How pages name each reason to dismiss an alert, in the order the form offers them. */
export const DISMISS_REASON_LABELS: Record<DismissReason, string> = {
  'planned-race': 'A planned race or hard block',
  'seeing-physio': 'Already seeing a physio or doctor',
  'wrong-data': 'Wrong data (a GPS glitch, a run that was not mine)',
  other: 'Something else',
};

/** What an action on an alert is called in its history ("Acknowledged by Ada"). */
export const ALERT_ACTION_LABELS: Record<AlertResponse | 'withdrawn', string> = {
  acknowledged: 'Acknowledged',
  dismissed: 'Dismissed',
  withdrawn: 'Answer withdrawn',
};
