export const PAIN_LOCATIONS = ['lateral_knee', 'knee', 'hip', 'shin', 'calf', 'achilles', 'foot', 'other'] as const;
export type PainLocation = (typeof PAIN_LOCATIONS)[number];
export type PainSide = 'left' | 'right' | 'both';
export type PainReportSource = 'strava_tag' | 'email_link' | 'web' | 'api';

/** A runner's report about one run: whether and where it hurt, and how far in the pain began. */
export interface PainObservation {
  hasPain: boolean;
  location?: PainLocation;
  side?: PainSide;
  /** Distance into the run when pain began, metres. */
  onsetM?: number;
  /** Time into the run when pain began, seconds. */
  onsetS?: number;
  /** 0 (none) to 10 (worst). */
  severity?: number;
}
