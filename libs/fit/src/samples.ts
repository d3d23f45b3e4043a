import { dateField, FitMessage, numberField } from './messages';

/** One record message, reduced to what summaries and splits need. */
export interface Sample {
  timeMs: number;
  distanceM?: number;
  altitudeM?: number;
  heartRate?: number;
  /** Per-leg cadence as the device wrote it (strides/min for running). */
  cadence?: number;
}

export function toSample(record: FitMessage): Sample | undefined {
  const time = dateField(record, 'timestamp');
  if (!time) return undefined;
  const cadence = numberField(record, 'cadence');
  return {
    timeMs: time.getTime(),
    distanceM: numberField(record, 'distance'),
    altitudeM: numberField(record, 'enhanced_altitude') ?? numberField(record, 'altitude'),
    heartRate: numberField(record, 'heart_rate'),
    cadence: cadence === undefined ? undefined : cadence + (numberField(record, 'fractional_cadence') ?? 0),
  };
}

/** Below this change, altitude wobble (GPS or barometer noise) is not counted as climbing. */
const ALTITUDE_NOISE_M = 2;

/** Total ascent and descent with a small dead band, for when the device wrote no totals. */
export function climbing(samples: Sample[]): { gainM: number; lossM: number } | undefined {
  const altitudes = samples.map((sample) => sample.altitudeM).filter((altitude): altitude is number => altitude !== undefined);
  if (altitudes.length < 2) return undefined;
  let gainM = 0;
  let lossM = 0;
  let reference = altitudes[0];
  for (const altitude of altitudes) {
    const change = altitude - reference;
    if (Math.abs(change) < ALTITUDE_NOISE_M) continue;
    if (change > 0) gainM += change;
    else lossM -= change;
    reference = altitude;
  }
  return { gainM, lossM };
}

export function mean(values: (number | undefined)[]): number | undefined {
  const present = values.filter((value): value is number => value !== undefined && value > 0);
  return present.length ? present.reduce((sum, value) => sum + value, 0) / present.length : undefined;
}
