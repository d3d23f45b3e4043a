import { DistanceUnit } from './user';

export const METRES_PER_KM = 1000;
export const METRES_PER_MILE = 1609.344;

export function metresPer(unit: DistanceUnit): number {
  return unit === 'mi' ? METRES_PER_MILE : METRES_PER_KM;
}

/** Metres in the runner's unit, rounded to `decimals` (for messages and charts). */
export function toUnit(metres: number, unit: DistanceUnit, decimals = 1): number {
  const factor = 10 ** decimals;
  return Math.round((metres / metresPer(unit)) * factor) / factor;
}

export function fromUnit(value: number, unit: DistanceUnit): number {
  return value * metresPer(unit);
}

/** FIT and Strava report running cadence per leg (strides/min); we store steps/min. */
export function stridesToSteps(stridesPerMinute: number, fractional = 0): number {
  return 2 * (stridesPerMinute + fractional);
}
