import { detailedActivityJson, FakeActivity, summaryActivityJson } from '../../../../test/fake-strava/fake-data';
import { detailedActivitySchema, summaryActivitySchema } from '../api/strava-schemas';
import { ianaZoneOf, mapStravaActivity, needsDetail, sportOf, utcOffsetOf } from './activity-mapper';

// strava-v3's JSON parser (it ships no types).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSONbig: { parse(text: string): unknown } = require('json-bigint');

const run: FakeActivity = {
  id: 12_345_678_901,
  name: 'Tempo by the river',
  sport_type: 'Run',
  start_date: '2025-03-02T06:10:00.000Z',
  zone: 'Europe/Oslo',
  utc_offset: 3600,
  distance: 10_230,
  moving_time: 3120,
  elapsed_time: 3300,
  total_elevation_gain: 85,
  split_elevation_differences: [10, -4, 3, 0, 0, 2, -8, 5, 1, -9, 0],
  average_cadence: 84,
  average_heartrate: 151.3,
  perceived_exertion: 6,
  gear_id: 'g1234',
  description: 'knee twinge at 6k',
  start_latlng: [59.91, 10.75],
  end_latlng: [59.95, 10.8],
};

const detail = (activity: FakeActivity) => detailedActivitySchema.parse(detailedActivityJson(activity, 77));
const summary = (activity: FakeActivity) => summaryActivitySchema.parse(summaryActivityJson(activity, 77));

describe('mapStravaActivity', () => {
  it('maps a detailed run to SI units, steps per minute and the local offset', () => {
    expect(mapStravaActivity(detail(run))).toEqual({
      source: 'strava',
      externalId: '12345678901',
      sport: 'run',
      sourceSport: 'Run',
      name: 'Tempo by the river',
      description: 'knee twinge at 6k',
      startUtc: new Date('2025-03-02T06:10:00Z'),
      utcOffsetS: 3600,
      timezone: 'Europe/Oslo',
      distanceM: 10_230,
      movingS: 3120,
      elapsedS: 3300,
      elevationGainM: 85,
      elevationLossM: 85 - 0,
      avgCadenceSpm: 168,
      avgHr: 151.3,
      perceivedExertion: 6,
      gearRef: 'g1234',
      splits: expect.any(Array),
      device: 'Garmin Forerunner 255',
    });
  });

  it('derives descent from gain and the splits’ net climb', () => {
    const climbing = { ...run, total_elevation_gain: 120, split_elevation_differences: [30, 20, -5, 15], distance: 4000 };
    expect(mapStravaActivity(detail(climbing)).elevationLossM).toBe(120 - 60);
  });

  it('keeps a summary’s fields and leaves out what only the detail has', () => {
    const mapped = mapStravaActivity(summary(run));
    expect(mapped.description).toBeUndefined();
    expect(mapped.splits).toBeUndefined();
    expect(mapped.perceivedExertion).toBeUndefined();
    expect(mapped.elevationLossM).toBeUndefined();
    expect(mapped.avgCadenceSpm).toBe(168);
    expect(mapped.gearRef).toBe('g1234');
  });

  it('estimates descent as the climb for a loop without splits, and says so', () => {
    const loop = mapStravaActivity(summary({ ...run, end_latlng: [59.9101, 10.7502] }));
    expect(loop.elevationLossM).toBe(85);
    expect(loop.flags).toEqual(['elevation_loss_estimated']);
  });

  it('does not double a ride’s cadence (pedal rpm is not steps)', () => {
    const ride = mapStravaActivity(summary({ ...run, sport_type: 'GravelRide', average_cadence: 88 }));
    expect(ride.sport).toBe('ride');
    expect(ride.avgCadenceSpm).toBeUndefined();
  });

  it('flags manual entries and ignores an exertion outside 1–10', () => {
    const manual = mapStravaActivity(detail({ ...run, manual: true, perceived_exertion: null, split_elevation_differences: undefined }));
    expect(manual.flags).toEqual(['manual']);
    expect(manual.perceivedExertion).toBeUndefined();
  });

  it('reads ids and long floats that json-bigint turned into BigNumbers (as strava-v3 parses)', () => {
    const json = JSON.stringify(summaryActivityJson({ ...run, id: 1 }, 77))
      .replace('"id":1,', '"id":12345678901234567890,')
      .replace('"distance":10230', '"distance":10230.123456789012345');
    const mapped = mapStravaActivity(summaryActivitySchema.parse(JSONbig.parse(json)));
    expect(mapped.externalId).toBe('12345678901234567890');
    expect(mapped.distanceM).toBeCloseTo(10230.123456789, 6);
  });

  it('rejects a response without a start date', () => {
    const broken = { ...summaryActivityJson(run, 77), start_date: undefined };
    expect(summaryActivitySchema.safeParse(broken).success).toBe(false);
  });
});

describe('sportOf', () => {
  it.each([
    [{ sport_type: 'Run' }, 'run'],
    [{ sport_type: 'Run', trainer: true }, 'treadmill_run'],
    [{ sport_type: 'TrailRun', type: 'Run' }, 'trail_run'],
    [{ sport_type: 'VirtualRun' }, 'virtual_run'],
    [{ sport_type: 'Hike' }, 'hike'],
    [{ sport_type: 'MountainBikeRide', type: 'Ride' }, 'ride'],
    [{ type: 'Walk' }, 'walk'],
    [{ sport_type: 'Yoga' }, 'other'],
  ])('%j → %s', (activity, sport) => {
    expect(sportOf(activity)).toBe(sport);
  });
});

describe('time zones and offsets', () => {
  it('takes the IANA zone out of Strava’s label and refuses unknown zones', () => {
    expect(ianaZoneOf('(GMT-08:00) America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(ianaZoneOf('(GMT+00:00) Not/AZone')).toBeUndefined();
    expect(ianaZoneOf(undefined)).toBeUndefined();
  });

  it('computes the offset from start_date_local when utc_offset is missing', () => {
    expect(utcOffsetOf({ start_date: '2025-07-01T05:00:00Z', start_date_local: '2025-07-01T07:00:00Z' })).toBe(7200);
    expect(utcOffsetOf({ start_date: '2025-07-01T05:00:00Z', start_date_local: undefined })).toBe(0);
  });
});

describe('needsDetail', () => {
  const now = new Date('2025-03-10T00:00:00Z');
  it('wants the description of recent runs only', () => {
    const mapped = mapStravaActivity(summary(run));
    expect(needsDetail(mapped, now, 28)).toBe(true);
    expect(needsDetail(mapped, new Date('2025-06-10T00:00:00Z'), 28)).toBe(false);
    expect(needsDetail({ ...mapped, sport: 'ride' }, now, 28)).toBe(false);
  });
});
