import Ajv, { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fixturePath } from '../support/shared-fixtures';
import { athleteJson, detailedActivityJson, detailedGearJson, FakeActivity, streamsJson, summaryActivityJson } from './fake-data';

/**
 * The fake's records must follow Strava's published schema (fixtures/strava). OpenAPI 3.0 has no
 * `null` type without `nullable`, which Strava's file never sets although real responses carry
 * nulls (gear_id, description…): nulls are dropped before validating.
 */
const spec = parse(readFileSync(fixturePath('strava', 'strava-api-v3.openapi3.yaml'), 'utf8'));
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'strava', components: spec.components });

function validator(model: string): ValidateFunction {
  return ajv.getSchema(`strava#/components/schemas/${model}`)!;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

function expectValid(model: string, value: unknown): void {
  const validate = validator(model);
  const valid = validate(withoutNulls(value));
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const activity: FakeActivity = {
  id: 9_000_000_001,
  name: 'Long run',
  sport_type: 'TrailRun',
  start_date: '2025-03-02T06:10:00.000Z',
  zone: 'America/Denver',
  utc_offset: -25_200,
  distance: 21_097.5,
  moving_time: 7_000,
  elapsed_time: 7_400,
  total_elevation_gain: 410,
  average_cadence: 82.5,
  average_heartrate: 144,
  perceived_exertion: 7,
  gear_id: 'g55',
  description: 'felt the knee at 15 k',
};
const gear = { id: 'g55', name: 'Speedgoat 5', distance: 412_000, notification_distance: 700 };

describe('fake Strava records follow the published schema', () => {
  it('SummaryActivity and DetailedActivity', () => {
    expectValid('SummaryActivity', summaryActivityJson(activity, 1));
    expectValid('DetailedActivity', detailedActivityJson(activity, 1, gear));
  });

  it('DetailedAthlete with shoes, and DetailedGear', () => {
    expectValid('DetailedAthlete', athleteJson({ id: 1, firstname: 'A', lastname: 'B', measurement_preference: 'meters' }, [gear]));
    expectValid('DetailedGear', detailedGearJson(gear, 'meters'));
  });

  it('StreamSet keyed by type', () => {
    expectValid('StreamSet', streamsJson(activity, ['time', 'cadence', 'heartrate', 'altitude']));
  });

  it('and the validator does catch a wrong record', () => {
    const validate = validator('SummaryActivity');
    expect(validate({ ...summaryActivityJson(activity, 1), distance: 'far', sport_type: 'Parkour' })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(expect.arrayContaining(['/distance', '/sport_type']));
  });
});
