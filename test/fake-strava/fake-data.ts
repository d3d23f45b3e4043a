/**
 * Strava-shaped records for the fake server, following fixtures/strava (the published schema plus
 * the fields real responses carry that it omits: utc_offset, average_cadence per leg,
 * average_heartrate, perceived_exertion, gear retired / nickname / notification_distance).
 */

export interface FakeActivity {
  id: number;
  name: string;
  sport_type: string;
  /** ISO instant (UTC). */
  start_date: string;
  /** IANA zone; the fake writes Strava's "(GMT+01:00) Europe/Oslo". */
  zone: string;
  utc_offset: number;
  distance: number;
  moving_time: number;
  elapsed_time: number;
  total_elevation_gain: number;
  /** Net climb per km split, summing to the activity's net climb. */
  split_elevation_differences?: number[];
  average_cadence?: number;
  average_heartrate?: number;
  perceived_exertion?: number | null;
  gear_id?: string | null;
  description?: string | null;
  trainer?: boolean;
  manual?: boolean;
  private?: boolean;
  start_latlng?: [number, number];
  end_latlng?: [number, number];
  device_name?: string;
}

export interface FakeGear {
  id: string;
  name: string;
  nickname?: string | null;
  brand_name?: string;
  model_name?: string;
  distance: number;
  primary?: boolean;
  retired?: boolean;
  /** In the athlete's unit, like converted_distance (0 = no alert set). */
  notification_distance?: number;
}

export interface FakeAthleteProfile {
  id: number;
  firstname: string;
  lastname: string;
  measurement_preference: 'meters' | 'feet';
}

const LEGACY_TYPE: Record<string, string> = { TrailRun: 'Run', VirtualRun: 'Run', MountainBikeRide: 'Ride', GravelRide: 'Ride' };

function startLocal(activity: FakeActivity): string {
  return new Date(Date.parse(activity.start_date) + activity.utc_offset * 1000).toISOString().replace('.000Z', 'Z');
}

function gmtLabel(offsetS: number): string {
  const sign = offsetS < 0 ? '-' : '+';
  const minutes = Math.abs(offsetS) / 60;
  return `(GMT${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')})`;
}

export function summaryActivityJson(activity: FakeActivity, athleteId: number): Record<string, unknown> {
  const speed = activity.moving_time ? activity.distance / activity.moving_time : 0;
  const latlng = activity.start_latlng ?? [59.91, 10.75];
  return {
    resource_state: 2,
    athlete: { id: athleteId, resource_state: 1 },
    name: activity.name,
    distance: activity.distance,
    moving_time: activity.moving_time,
    elapsed_time: activity.elapsed_time,
    total_elevation_gain: activity.total_elevation_gain,
    type: LEGACY_TYPE[activity.sport_type] ?? activity.sport_type,
    sport_type: activity.sport_type,
    workout_type: null,
    id: activity.id,
    external_id: `${activity.id}.fit`,
    upload_id: activity.id * 2,
    upload_id_str: String(activity.id * 2),
    start_date: activity.start_date.replace('.000Z', 'Z'),
    start_date_local: startLocal(activity),
    timezone: `${gmtLabel(activity.utc_offset)} ${activity.zone}`,
    utc_offset: activity.utc_offset,
    location_city: null,
    location_state: null,
    location_country: 'Norway',
    achievement_count: 0,
    kudos_count: 3,
    comment_count: 0,
    athlete_count: 1,
    photo_count: 0,
    total_photo_count: 0,
    map: {
      id: `a${activity.id}`,
      summary_polyline:
        'ki{eFvqfiVqAWQIGEEKAYJgBVqDJ{BHa@jAkNJw@Pw@V{APs@^aABQAOEQGKoJ_FuJkFqAo@{A}@sH{DiAs@Q]?WVy@`@oBt@_CB]KYMMkB{AQEI@WT{BlE{@zAQPI@ICsCqA_BcAeCmAaFmCqIoEcLeG}KcG}A}@cDaBiDsByAkAuBqBi@y@_@o@o@kB}BgIoA_EUkAMcACa@BeBBq@LaAJe@b@uA`@_AdBcD`@iAPq@RgALqAB{@EqAyAoOCy@AaA@wAFeB',
      resource_state: 2,
    },
    trainer: activity.trainer ?? false,
    commute: false,
    manual: activity.manual ?? false,
    private: activity.private ?? false,
    visibility: activity.private ? 'only_me' : 'everyone',
    flagged: false,
    gear_id: activity.gear_id ?? null,
    start_latlng: latlng,
    end_latlng: activity.end_latlng ?? latlng,
    average_speed: Math.round(speed * 1000) / 1000,
    max_speed: Math.round(speed * 1.4 * 1000) / 1000,
    ...(activity.average_cadence !== undefined ? { average_cadence: activity.average_cadence } : {}),
    has_heartrate: activity.average_heartrate !== undefined,
    ...(activity.average_heartrate !== undefined
      ? { average_heartrate: activity.average_heartrate, max_heartrate: Math.round(activity.average_heartrate + 20) }
      : {}),
    heartrate_opt_out: false,
    display_hide_heartrate_option: true,
    elev_high: 120 + activity.total_elevation_gain,
    elev_low: 120,
    pr_count: 0,
    has_kudoed: false,
    from_accepted_tag: false,
    suffer_score: null,
  };
}

function splitsMetric(activity: FakeActivity): Record<string, unknown>[] {
  const count = Math.max(1, Math.ceil(activity.distance / 1000));
  const differences = activity.split_elevation_differences ?? Array.from({ length: count }, () => 0);
  return Array.from({ length: count }, (_, index) => {
    const distance = index === count - 1 ? activity.distance - 1000 * (count - 1) : 1000;
    const elapsed = Math.round((activity.elapsed_time * distance) / Math.max(activity.distance, 1));
    return {
      distance,
      elapsed_time: elapsed,
      elevation_difference: differences[index] ?? 0,
      moving_time: Math.round((activity.moving_time * distance) / Math.max(activity.distance, 1)),
      split: index + 1,
      average_speed: elapsed ? Math.round((distance / elapsed) * 100) / 100 : 0,
      pace_zone: 2,
      ...(activity.average_heartrate !== undefined ? { average_heartrate: activity.average_heartrate } : {}),
    };
  });
}

export function detailedActivityJson(activity: FakeActivity, athleteId: number, gear?: FakeGear): Record<string, unknown> {
  return {
    ...summaryActivityJson(activity, athleteId),
    resource_state: 3,
    description: activity.description ?? null,
    calories: Math.round(activity.distance / 15),
    perceived_exertion: activity.perceived_exertion ?? null,
    prefer_perceived_exertion: false,
    device_name: activity.device_name ?? 'Garmin Forerunner 255',
    embed_token: 'e0c7c0e4a1f3',
    segment_efforts: [],
    best_efforts: [],
    splits_metric: splitsMetric(activity),
    laps: [],
    photos: { primary: null, count: 0 },
    gear: gear ? summaryGearJson(gear, 'meters') : null,
    hide_from_home: false,
  };
}

export function summaryGearJson(gear: FakeGear, preference: 'meters' | 'feet'): Record<string, unknown> {
  return {
    id: gear.id,
    primary: gear.primary ?? false,
    name: gear.name,
    nickname: gear.nickname ?? null,
    resource_state: 2,
    retired: gear.retired ?? false,
    distance: gear.distance,
    converted_distance: Math.round((gear.distance / (preference === 'feet' ? 1609.344 : 1000)) * 10) / 10,
  };
}

export function detailedGearJson(gear: FakeGear, preference: 'meters' | 'feet'): Record<string, unknown> {
  return {
    ...summaryGearJson(gear, preference),
    resource_state: 3,
    brand_name: gear.brand_name ?? gear.name.split(' ')[0],
    model_name: gear.model_name ?? gear.name.split(' ').slice(1).join(' '),
    description: null,
    notification_distance: gear.notification_distance ?? 0,
  };
}

export function athleteJson(profile: FakeAthleteProfile, gear: FakeGear[]): Record<string, unknown> {
  return {
    id: profile.id,
    username: null,
    resource_state: 3,
    firstname: profile.firstname,
    lastname: profile.lastname,
    bio: null,
    city: 'Oslo',
    state: '',
    country: 'Norway',
    sex: 'F',
    premium: false,
    summit: false,
    created_at: '2019-04-02T08:00:00Z',
    updated_at: '2025-01-10T08:00:00Z',
    badge_type_id: 0,
    weight: 61,
    profile_medium: 'avatar/athlete/medium.png',
    profile: 'avatar/athlete/large.png',
    friend: null,
    follower: null,
    follower_count: 4,
    friend_count: 6,
    measurement_preference: profile.measurement_preference,
    ftp: null,
    clubs: [],
    bikes: [],
    shoes: gear
      .filter((item) => item.id.startsWith('g') && !item.retired)
      .map((item) => summaryGearJson(item, profile.measurement_preference)),
  };
}

export function streamsJson(activity: FakeActivity, keys: string[]): Record<string, unknown> {
  const points = Math.max(2, Math.min(500, Math.round(activity.elapsed_time / 10)));
  const series: Record<string, (index: number) => number> = {
    time: (i) => Math.round((activity.elapsed_time * i) / (points - 1)),
    distance: (i) => Math.round(((activity.distance * i) / (points - 1)) * 10) / 10,
    cadence: () => Math.round(activity.average_cadence ?? 0),
    heartrate: () => Math.round(activity.average_heartrate ?? 0),
    altitude: (i) => 120 + Math.round(activity.total_elevation_gain * Math.sin((Math.PI * i) / (points - 1)) * 10) / 10,
  };
  const wanted = new Set(['distance', ...keys.filter((key) => key in series)]);
  return Object.fromEntries(
    [...wanted].map((key) => [
      key,
      {
        data: Array.from({ length: points }, (_, i) => series[key](i)),
        series_type: 'distance',
        original_size: points,
        resolution: 'high',
      },
    ]),
  );
}
