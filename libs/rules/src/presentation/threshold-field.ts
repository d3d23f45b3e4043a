import { type DistanceUnit, fromUnit, toUnit } from '@deload/domain';

/**
 * How a stored threshold is shown and typed on the settings form:
 * - `overPercent`: a ratio above 1 shown as "% more" (1.3 ↔ 30)
 * - `percent`: a fraction shown as a percentage (0.05 ↔ 5)
 * - `distance`: metres shown in the runner's unit (km or mi)
 * - `metres`, `minutes` (stored as seconds), `days`, `times`: as they read
 */
export type FieldKind = 'overPercent' | 'percent' | 'distance' | 'metres' | 'minutes' | 'days' | 'times';

export interface FieldKindSpec {
  /** The unit printed after the input. */
  unit(units: DistanceUnit): string;
  /** A typed value must be above 0 and, when set, below this (in the form's unit); the schema (thresholds.ts) checks the rest. */
  below?: number;
}

export const FIELD_KINDS: Record<FieldKind, FieldKindSpec> = {
  overPercent: { unit: () => '% more' },
  percent: { unit: () => '%', below: 100 },
  distance: { unit: (units) => units },
  metres: { unit: () => 'm' },
  minutes: { unit: () => 'min' },
  days: { unit: () => 'days' },
  times: { unit: () => '×' },
};

/** A stored value as the form shows it. */
export function toFormValue(value: number, kind: FieldKind, units: DistanceUnit): number {
  switch (kind) {
    case 'overPercent':
      return Math.round((value - 1) * 1000) / 10;
    case 'percent':
      return Math.round(value * 1000) / 10;
    case 'distance':
      return toUnit(value, units, 1);
    case 'minutes':
      return Math.round((value / 60) * 10) / 10;
    default:
      return value;
  }
}

/** A typed form value as stored. */
export function fromFormValue(value: number, kind: FieldKind, units: DistanceUnit): number {
  switch (kind) {
    case 'overPercent':
      return 1 + value / 100;
    case 'percent':
      return value / 100;
    case 'distance':
      return fromUnit(value, units);
    case 'minutes':
      return value * 60;
    default:
      return value;
  }
}
