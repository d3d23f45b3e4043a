import { DistanceUnit, fromUnit } from '@deload/domain';

/** A distance typed in the runner's unit ("612,5") as metres; empty: `empty`; not a number: left as text for the schema to refuse. */
function distanceField(value: unknown, units: DistanceUnit, empty: number | null): number | null | string {
  const text = String(value ?? '').trim();
  if (!text) return empty;
  const number = Number(text.replace(',', '.'));
  return Number.isFinite(number) ? fromUnit(number, units) : text;
}

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * The shoe form of the shoes page (add or edit: every field is sent) as the JSON input of
 * newShoeSchema / shoePatchSchema: distances in the runner's unit become metres, an empty starting
 * distance is 0, an empty retire distance is the runner's threshold (null), unticked sports are none.
 */
export function shoeFromForm(body: Record<string, unknown>, units: DistanceUnit): Record<string, unknown> {
  return {
    name: String(body.name ?? ''),
    brand: String(body.brand ?? ''),
    model: String(body.model ?? ''),
    startingDistanceM: distanceField(body.startingAt, units, 0),
    retireThresholdM: distanceField(body.retireAt, units, null),
    defaultFor: list(body.defaultFor),
  };
}
