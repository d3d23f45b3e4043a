import { z } from 'zod';

/**
 * The parts of Strava's responses Deload reads (fixtures/strava: the published schema plus the
 * fields real responses carry that it omits). Validated on arrival so a surprise from Strava is a
 * clear error, not a NaN in the database.
 *
 * strava-v3 parses JSON with json-bigint, which turns ids of 16+ digits and floats with 16+
 * significant digits into BigNumber objects: `number` and `id` accept those too.
 */
type BigNumberLike = { toFixed(): string };

function isBigNumber(value: unknown): value is BigNumberLike {
  return typeof value === 'object' && value !== null && typeof (value as BigNumberLike).toFixed === 'function';
}

const number = z.preprocess((value) => (isBigNumber(value) ? Number(value.toFixed()) : value), z.number());

/** Strava ids as strings: activity ids already exceed 2^32 and are heading for 2^53. */
export const stravaId = z.preprocess(
  (value) => (isBigNumber(value) ? value.toFixed() : typeof value === 'number' ? String(value) : value),
  z.string().regex(/^\d+$/, 'must be a numeric id'),
);

const optionalNumber = number.nullish().transform((value) => value ?? undefined);
const optionalString = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

export const splitSchema = z.object({
  split: z.number().int().optional(),
  distance: number,
  elapsed_time: number,
  moving_time: optionalNumber,
  elevation_difference: optionalNumber,
  average_heartrate: optionalNumber,
});

export const summaryActivitySchema = z.object({
  id: stravaId,
  name: optionalString,
  distance: number,
  moving_time: optionalNumber,
  elapsed_time: optionalNumber,
  total_elevation_gain: optionalNumber,
  type: optionalString,
  sport_type: optionalString,
  start_date: z.iso.datetime({ offset: true }),
  start_date_local: optionalString,
  timezone: optionalString,
  utc_offset: optionalNumber,
  start_latlng: z.array(number).nullish(),
  end_latlng: z.array(number).nullish(),
  trainer: z.boolean().optional(),
  manual: z.boolean().optional(),
  average_cadence: optionalNumber,
  average_heartrate: optionalNumber,
  gear_id: optionalString,
  device_name: optionalString,
  perceived_exertion: optionalNumber,
});

export const detailedActivitySchema = summaryActivitySchema.extend({
  description: optionalString,
  splits_metric: z.array(splitSchema).nullish(),
});

export type StravaSummaryActivity = z.infer<typeof summaryActivitySchema>;
export type StravaDetailedActivity = z.infer<typeof detailedActivitySchema>;

export const summaryGearSchema = z.object({
  id: z.string().min(1),
  name: optionalString,
  nickname: optionalString,
  distance: optionalNumber,
  primary: z.boolean().optional(),
  retired: z.boolean().optional(),
});

export const detailedGearSchema = summaryGearSchema.extend({
  brand_name: optionalString,
  model_name: optionalString,
  notification_distance: optionalNumber,
});

export type StravaSummaryGear = z.infer<typeof summaryGearSchema>;
export type StravaDetailedGear = z.infer<typeof detailedGearSchema>;

export const athleteSchema = z.object({
  id: stravaId,
  firstname: optionalString,
  lastname: optionalString,
  measurement_preference: z.enum(['meters', 'feet']).optional().catch(undefined),
  shoes: z.array(summaryGearSchema).nullish(),
});

export type StravaAthlete = z.infer<typeof athleteSchema>;

/** POST /oauth/token answer (authorization_code and refresh_token grants). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_at: number,
  athlete: z.object({ id: stravaId, firstname: optionalString, lastname: optionalString }).optional(),
});

export type StravaTokenResponse = z.infer<typeof tokenResponseSchema>;

export const pushSubscriptionSchema = z.object({
  id: stravaId,
  callback_url: z.string(),
  created_at: optionalString,
  updated_at: optionalString,
});

export type StravaPushSubscription = z.infer<typeof pushSubscriptionSchema>;
