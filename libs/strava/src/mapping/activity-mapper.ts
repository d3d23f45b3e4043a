import { countsCadencePerLeg, isRunningSport, MappedRun, Split, Sport, stridesToSteps } from '@deload/domain';
import type { StravaDetailedActivity, StravaSummaryActivity } from '../api/strava-schemas';

const SPORT_BY_STRAVA_TYPE: Record<string, Sport> = {
  Run: 'run',
  TrailRun: 'trail_run',
  VirtualRun: 'virtual_run',
  Walk: 'walk',
  Hike: 'hike',
  Ride: 'ride',
  MountainBikeRide: 'ride',
  GravelRide: 'ride',
  EBikeRide: 'ride',
  EMountainBikeRide: 'ride',
  VirtualRide: 'ride',
  Velomobile: 'ride',
  Handcycle: 'ride',
  Swim: 'swim',
};

/** A start and end this close (metres) make a loop: as much descent as climb. */
const LOOP_TOLERANCE_M = 250;

/** Normalised sport: `sport_type` (newer, finer) first, then the legacy `type`; a Run on a trainer is a treadmill run. */
export function sportOf(activity: { sport_type?: string; type?: string; trainer?: boolean }): Sport {
  const sport = SPORT_BY_STRAVA_TYPE[activity.sport_type ?? ''] ?? SPORT_BY_STRAVA_TYPE[activity.type ?? ''] ?? 'other';
  return sport === 'run' && activity.trainer ? 'treadmill_run' : sport;
}

/** "(GMT+01:00) Europe/Oslo" → "Europe/Oslo", when it is a zone this runtime knows. */
export function ianaZoneOf(stravaTimezone: string | undefined): string | undefined {
  const zone = stravaTimezone?.replace(/^\([^)]*\)\s*/, '').trim();
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/**
 * Seconds to add to UTC for local time: Strava's `utc_offset` when present, else the difference
 * between `start_date_local` (local wall time written with a Z) and `start_date`.
 */
export function utcOffsetOf(activity: { utc_offset?: number; start_date: string; start_date_local?: string }): number {
  if (activity.utc_offset !== undefined) return Math.round(activity.utc_offset);
  if (!activity.start_date_local) return 0;
  const local = Date.parse(activity.start_date_local.replace(/(Z|[+-]\d\d:?\d\d)$/, 'Z'));
  return Number.isNaN(local) ? 0 : Math.round((local - Date.parse(activity.start_date)) / 1000);
}

/**
 * Descent is not in Strava's activity. Gain − descent is the net climb, which the per-km splits
 * add up to, so descent = gain − Σ split elevation differences. Without splits, a loop (start and
 * end within 250 m) descends what it climbs. Otherwise unknown.
 */
export function elevationLossOf(activity: StravaDetailedActivity | StravaSummaryActivity): { lossM?: number; estimated: boolean } {
  const gain = activity.total_elevation_gain;
  if (gain === undefined) return { estimated: false };
  const splits = 'splits_metric' in activity ? activity.splits_metric : undefined;
  if (splits?.length && splits.every((split) => split.elevation_difference !== undefined)) {
    const net = splits.reduce((sum, split) => sum + split.elevation_difference!, 0);
    return { lossM: Math.max(0, gain - net), estimated: false };
  }
  if (isLoop(activity.start_latlng, activity.end_latlng)) return { lossM: gain, estimated: true };
  return { estimated: false };
}

function isLoop(start?: number[] | null, end?: number[] | null): boolean {
  if (start?.length !== 2 || end?.length !== 2) return false;
  return haversineMetres(start as [number, number], end as [number, number]) <= LOOP_TOLERANCE_M;
}

function haversineMetres([lat1, lon1]: [number, number], [lat2, lon2]: [number, number]): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

function splitsOf(activity: StravaDetailedActivity | StravaSummaryActivity): Split[] | undefined {
  const splits = 'splits_metric' in activity ? activity.splits_metric : undefined;
  if (!splits?.length) return undefined;
  return splits.map((split, index) => ({
    index: split.split ?? index + 1,
    distanceM: split.distance,
    elapsedS: split.elapsed_time,
    movingS: split.moving_time,
    elevationGainM: split.elevation_difference !== undefined ? Math.max(0, split.elevation_difference) : undefined,
    elevationLossM: split.elevation_difference !== undefined ? Math.max(0, -split.elevation_difference) : undefined,
    avgHr: split.average_heartrate,
  }));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * A Strava activity (summary from the list, or detail) as a domain run. Summaries lack
 * `description` and splits; everything else Deload uses is in both.
 */
export function mapStravaActivity(activity: StravaSummaryActivity | StravaDetailedActivity): MappedRun {
  const sport = sportOf(activity);
  const elevation = elevationLossOf(activity);
  const flags = [...(activity.manual ? ['manual'] : []), ...(elevation.estimated ? ['elevation_loss_estimated'] : [])];
  const exertion = activity.perceived_exertion;
  return withoutUndefined<MappedRun>({
    source: 'strava',
    externalId: activity.id,
    sport,
    sourceSport: activity.sport_type ?? activity.type,
    name: activity.name,
    description: 'description' in activity ? activity.description : undefined,
    startUtc: new Date(activity.start_date),
    utcOffsetS: utcOffsetOf(activity),
    timezone: ianaZoneOf(activity.timezone),
    distanceM: activity.distance,
    movingS: activity.moving_time,
    elapsedS: activity.elapsed_time,
    elevationGainM: activity.total_elevation_gain,
    elevationLossM: elevation.lossM,
    avgCadenceSpm: activity.average_cadence && countsCadencePerLeg(sport) ? stridesToSteps(activity.average_cadence) : undefined,
    avgHr: activity.average_heartrate,
    perceivedExertion: exertion !== undefined && exertion >= 1 && exertion <= 10 ? Math.round(exertion) : undefined,
    gearRef: activity.gear_id,
    splits: splitsOf(activity),
    device: activity.device_name,
    flags: flags.length ? flags : undefined,
  });
}

/** Whether a summary is worth a detail request during backfill: a recent run (its description may carry a pain note). */
export function needsDetail(run: MappedRun, now: Date, lookbackDays: number): boolean {
  return isRunningSport(run.sport) && now.getTime() - run.startUtc.getTime() <= lookbackDays * 86_400_000;
}
