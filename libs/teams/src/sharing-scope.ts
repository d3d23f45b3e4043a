/**
 * What a runner agrees to share with a coach, recorded on the membership when they accept
 * (memberships.scope) and shown to them word for word on the invite page beforehand.
 */
export interface SharingScope {
  /** Runs, shoes and notes that came from Strava (only where the operator enabled STRAVA_COACH_SHARING). */
  stravaData: boolean;
}

export interface SharedItem {
  label: string;
  shared: boolean;
  why?: string;
}

/** The invite page's list: exactly what the coach will and will not see. */
export function sharedItems(scope: SharingScope): SharedItem[] {
  return [
    {
      label: 'Runs from files you upload (FIT files, or your Strava export archive): distance, duration, elevation, cadence, heart rate',
      shared: true,
    },
    scope.stravaData
      ? { label: 'Your pain reports (where it hurt, how far into the run, how bad)', shared: true }
      : {
          label: 'Your pain reports (where it hurt, how far into the run, how bad), without the Strava run they belong to',
          shared: true,
        },
    scope.stravaData
      ? { label: 'Deload’s alerts about your training, and the suggestions sent to you', shared: true }
      : {
          label:
            'Deload’s alerts about your training and the suggestions sent to you; of an alert worked out from your Strava runs, only which kind it is and since when',
          shared: true,
        },
    { label: 'Your shoes and their distance (shoes added from files or by you)', shared: true },
    scope.stravaData
      ? { label: 'Runs, shoes and notes synced from Strava', shared: true }
      : {
          label: 'Runs, shoes and notes synced from Strava, and pain you wrote in a Strava title or description',
          shared: false,
          why: 'Strava’s terms let only you see your Strava data, and this Deload does not share it with coaches.',
        },
    { label: 'Your email preferences, settings and sign-in details', shared: false },
  ];
}
