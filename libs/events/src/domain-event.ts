/**
 * What a write declares happened, in the same transaction as the data (libs/events). Each event
 * names facts, not jobs: `followUpsOf` decides which jobs follow from it.
 */
export type DomainEvent =
  /** Runs were stored, changed or removed; `checkInRunIds` are new runs to ask "how did it feel?" about. */
  | { type: 'runs-changed'; userId: string; checkInRunIds?: string[] }
  /** The runner reported pain (web form, API, email check-in). */
  | { type: 'pain-reported'; userId: string }
  /** The runner changed a shoe (retired it, moved its retire distance). */
  | { type: 'shoes-changed'; userId: string }
  /** The runner changed a setting the rules read (time zone, units, thresholds). */
  | { type: 'settings-changed'; userId: string }
  /** A runner left Strava: their Strava runs, shoes and tokens were removed. */
  | { type: 'strava-data-removed'; userId: string }
  /** A runner connected Strava: their history (since `after`, epoch seconds) is to be imported. */
  | { type: 'strava-connected'; userId: string; connectionId: string; after: number }
  /** A Strava history import finished: the rules may now judge the whole history. */
  | { type: 'strava-history-imported'; userId: string }
  /** An evaluation asked for these alerts' emails at `requestedAt` (ISO time; the request the email answers). */
  | { type: 'alert-emails-requested'; userId: string; alertIds: string[]; requestedAt: string };

export type DomainEventType = DomainEvent['type'];
