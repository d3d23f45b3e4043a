import { METRES_PER_KM, METRES_PER_MILE } from '@deload/domain';
import type { StravaDetailedGear, StravaSummaryGear } from '../api/strava-schemas';

export type MeasurementPreference = 'meters' | 'feet';

/** A Strava shoe as the `shoes` table stores it (source 'strava', external id = gear id). */
export interface StravaShoe {
  externalId: string;
  name: string;
  reportedDistanceM?: number;
  /** Only detailed gear says; undefined = leave what is stored. Null = no threshold set. */
  retireThresholdM?: number | null;
  retired?: boolean;
  /** Only detailed gear says; undefined = leave what is stored. */
  brand?: string | null;
  model?: string | null;
}

/** Strava shoe ids start with "g" (bikes with "b"); Deload only tracks shoes. */
export function isShoeId(gearId: string | undefined | null): gearId is string {
  return typeof gearId === 'string' && /^g\d+$/.test(gearId);
}

/** Values below this are taken to be in the athlete's unit (km or mi), larger ones in metres. */
const SMALLEST_THRESHOLD_IN_METRES = 10_000;

/**
 * Strava does not document the unit of `notification_distance`. Recorded responses show small
 * values in the athlete's display unit (like `converted_distance`); a shoe alert under 10 km makes
 * no sense, so anything smaller is read as km or miles, anything larger as metres. 0 means unset.
 */
export function notificationDistanceMetres(value: number | undefined, preference: MeasurementPreference = 'meters'): number | null {
  if (value === undefined || value <= 0) return null;
  if (value >= SMALLEST_THRESHOLD_IN_METRES) return value;
  return value * (preference === 'feet' ? METRES_PER_MILE : METRES_PER_KM);
}

function displayName(gear: StravaSummaryGear | StravaDetailedGear): string {
  const brandModel = 'brand_name' in gear ? [gear.brand_name, gear.model_name].filter(Boolean).join(' ') : '';
  return gear.nickname || gear.name || brandModel || gear.id;
}

/** A shoe from the athlete's gear list: name, distance and (when Strava says) retired. */
export function mapSummaryGear(gear: StravaSummaryGear): StravaShoe {
  return { externalId: gear.id, name: displayName(gear), reportedDistanceM: gear.distance, retired: gear.retired };
}

/** A shoe from GET /gear/{id}: also its brand, model and alert distance, which becomes the retire threshold. */
export function mapDetailedGear(gear: StravaDetailedGear, preference?: MeasurementPreference): StravaShoe {
  return {
    ...mapSummaryGear(gear),
    retireThresholdM: notificationDistanceMetres(gear.notification_distance, preference),
    brand: gear.brand_name || null,
    model: gear.model_name || null,
  };
}
