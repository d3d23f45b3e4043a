import { z } from 'zod';
import { SHOE_SPORTS } from './shoe-sports';

/** Longest distance a shoe's figures may have, metres (no pair lasts 5000 km). */
const MAX_SHOE_DISTANCE_M = 5_000_000;

const text = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `can be at most ${max} characters`);
const optionalText = (max: number) =>
  text(max)
    .transform((value) => value || null)
    .nullable();

const shoeFields = {
  name: text(80).min(1, 'must not be empty'),
  brand: optionalText(60),
  model: optionalText(60),
  /** Distance already on the pair when it was added, metres (counted before any run stored here). */
  startingDistanceM: z
    .number({ error: 'must be a number of metres' })
    .min(0, 'must be 0 or more')
    .max(MAX_SHOE_DISTANCE_M, 'must be at most 5000 km'),
  /** Where to retire the pair, metres; null: the runner's worn-shoes threshold (800 km unless changed). */
  retireThresholdM: z
    .number({ error: 'must be a number of metres' })
    .positive('must be more than 0')
    .max(MAX_SHOE_DISTANCE_M, 'must be at most 5000 km')
    .nullable(),
  retired: z.boolean({ error: 'must be true or false' }),
  /** Sports whose new runs without gear get this shoe (replaces the list; another shoe loses these sports). */
  defaultFor: z.array(z.enum(SHOE_SPORTS, { error: `must be among ${SHOE_SPORTS.join(', ')}` })).max(SHOE_SPORTS.length),
};

/** A shoe the runner adds: a name; the rest is optional (no distance on it yet, the runner's retire threshold). */
export const newShoeSchema = z.strictObject({
  name: shoeFields.name,
  brand: shoeFields.brand.default(null),
  model: shoeFields.model.default(null),
  startingDistanceM: shoeFields.startingDistanceM.default(0),
  retireThresholdM: shoeFields.retireThresholdM.default(null),
  defaultFor: shoeFields.defaultFor.default([]),
});

export type NewShoeInput = z.output<typeof newShoeSchema>;

/** Any subset of a shoe's fields. */
export const shoePatchSchema = z.strictObject(shoeFields).partial();

export type ShoePatch = z.output<typeof shoePatchSchema>;
