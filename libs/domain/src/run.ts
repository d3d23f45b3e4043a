/** Where a run came from. A run seen from two sources is stored once (see libs/ingest). */
export type RunSource = 'strava' | 'fit' | 'import';

/**
 * Normalised sport. Only the running kinds count as running load; everything else is kept
 * (so a runner's history is complete) but never feeds the rules.
 */
export const RUNNING_SPORTS = ['run', 'trail_run', 'treadmill_run', 'track_run', 'virtual_run'] as const;
export const OTHER_SPORTS = ['walk', 'hike', 'ride', 'swim', 'other'] as const;
export type RunningSport = (typeof RUNNING_SPORTS)[number];
export type Sport = RunningSport | (typeof OTHER_SPORTS)[number];

export function isRunningSport(sport: Sport): sport is RunningSport {
  return (RUNNING_SPORTS as readonly string[]).includes(sport);
}

/** Sports on foot, whose devices (FIT) and Strava count cadence per leg: steps/min is twice it. */
export function countsCadencePerLeg(sport: Sport): boolean {
  return isRunningSport(sport) || sport === 'walk' || sport === 'hike';
}

export interface Split {
  /** 1-based index of the kilometre. The last split may be shorter than 1000 m. */
  index: number;
  distanceM: number;
  elapsedS: number;
  movingS?: number;
  elevationGainM?: number;
  elevationLossM?: number;
  avgHr?: number;
  avgCadenceSpm?: number;
}

/**
 * One activity as mapped from a source (FIT file, Strava API, export archive), before storage.
 * All quantities SI: metres, seconds, steps per minute.
 */
export interface MappedRun {
  source: RunSource;
  /** Stable id within the source: Strava activity id, or a FIT file's serial/time-created + session index. */
  externalId: string;
  sport: Sport;
  /** The source's own sport words (e.g. FIT "running/trail", Strava "TrailRun"), for display. */
  sourceSport?: string;
  name?: string;
  description?: string;
  /** Start instant (UTC). */
  startUtc: Date;
  /** Local time = UTC + offset, in seconds (FIT local_timestamp, Strava utc_offset). */
  utcOffsetS: number;
  /** IANA zone when the source knows it (Strava "(GMT+01:00) Europe/Oslo"). */
  timezone?: string;
  distanceM: number;
  movingS?: number;
  elapsedS?: number;
  elevationGainM?: number;
  elevationLossM?: number;
  avgCadenceSpm?: number;
  avgHr?: number;
  /** Strava perceived exertion, 1–10. */
  perceivedExertion?: number;
  /** The source's reference to the shoe: Strava gear id ("g123") or an export's gear name. */
  gearRef?: string;
  splits?: Split[];
  device?: string;
  /** Data-quality notes, e.g. "crc_mismatch", "truncated". */
  flags?: string[];
}
