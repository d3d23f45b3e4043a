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
  /** A Strava connection whose history import had not finished moved to another account (an account merge): import it again for its new owner. */
  | { type: 'strava-connection-moved'; userId: string; connectionId: string; after: number }
  /** A Strava history import finished: the rules may now judge the whole history. */
  | { type: 'strava-history-imported'; userId: string }
  /** A runner uploaded files over HTTP (an `uploads` row with their bytes): the worker is to import them. */
  | { type: 'upload-received'; userId: string; uploadId: string }
  /** An evaluation asked for these alerts' emails at `requestedAt` (ISO time; the request the email answers). */
  | { type: 'alert-emails-requested'; userId: string; alertIds: string[]; requestedAt: string };

export type DomainEventType = DomainEvent['type'];

/** Every event type, for the dispatcher (it leaves rows of types it does not know, e.g. from a newer version, alone). */
export const DOMAIN_EVENT_TYPES = [
  'runs-changed',
  'pain-reported',
  'shoes-changed',
  'settings-changed',
  'strava-data-removed',
  'strava-connected',
  'strava-connection-moved',
  'strava-history-imported',
  'alert-emails-requested',
  'upload-received',
] as const satisfies readonly DomainEventType[];

/** Fails to compile when a type of DomainEvent is missing from DOMAIN_EVENT_TYPES. */
export const EVERY_TYPE_LISTED: [Exclude<DomainEventType, (typeof DOMAIN_EVENT_TYPES)[number]>] extends [never] ? true : never = true;
