import { countsCadencePerLeg, MappedRun, Sport } from '@deload/domain';
import { climbing, kilometreSplits, mean, Sample } from '@deload/fit';
import { compact } from './parsed-entry';

export { sportFromWords } from './sport-words';

/** One point of a GPX or TCX track. */
export interface TrackPoint {
  timeMs: number;
  lat?: number;
  lon?: number;
  altitudeM?: number;
  /** Cumulative distance when the file states it (TCX); otherwise measured from positions. */
  distanceM?: number;
  heartRate?: number;
  /** Per-leg cadence as written (strides/min for running). */
  cadence?: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
/** Slower than this between two points counts as standing still (not moving time). */
const MOVING_SPEED_MPS = 0.5;

function haversineM(a: TrackPoint, b: TrackPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat! - a.lat!) * rad;
  const dLon = (b.lon! - a.lon!) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat! * rad) * Math.cos(b.lat! * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Track points as samples with cumulative distance (from the file, or measured between positions). */
export function toSamples(points: TrackPoint[]): Sample[] {
  const sorted = [...points].sort((a, b) => a.timeMs - b.timeMs);
  let travelled = 0;
  return sorted.map((point, i) => {
    const previous = sorted[i - 1];
    if (previous && point.lat !== undefined && previous.lat !== undefined) travelled += haversineM(previous, point);
    return {
      timeMs: point.timeMs,
      distanceM: point.distanceM ?? (point.lat !== undefined ? travelled : undefined),
      altitudeM: point.altitudeM,
      heartRate: point.heartRate,
      cadence: point.cadence,
    };
  });
}

function movingSeconds(samples: Sample[]): number | undefined {
  let moving = 0;
  let measured = false;
  for (let i = 1; i < samples.length; i += 1) {
    const [a, b] = [samples[i - 1], samples[i]];
    if (a.distanceM === undefined || b.distanceM === undefined) continue;
    measured = true;
    const seconds = (b.timeMs - a.timeMs) / 1000;
    if (seconds > 0 && (b.distanceM - a.distanceM) / seconds >= MOVING_SPEED_MPS) moving += seconds;
  }
  return measured ? moving : undefined;
}

export interface TrackSummaryInput {
  externalId: string;
  sport: Sport;
  sourceSport?: string;
  name?: string;
  device?: string;
  points: TrackPoint[];
  /** Totals the file states (TCX laps); measured from the points when absent. */
  distanceM?: number;
  movingS?: number;
  flags?: string[];
}

/** A run from a GPS track. The file gives no UTC offset, so the day is reckoned in UTC until a source says otherwise. */
export function summariseTrack(input: TrackSummaryInput): MappedRun | undefined {
  const samples = toSamples(input.points);
  if (samples.length === 0) return undefined;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const measured = first.distanceM !== undefined && last.distanceM !== undefined ? last.distanceM - first.distanceM : undefined;
  const climb = climbing(samples);
  const stepsPerCadence = countsCadencePerLeg(input.sport) ? 2 : undefined;
  const cadence = mean(samples.map((sample) => sample.cadence));
  const heartRate = mean(samples.map((sample) => sample.heartRate));
  const splits = stepsPerCadence ? kilometreSplits(samples, stepsPerCadence) : [];
  const run: MappedRun = {
    source: 'import',
    externalId: input.externalId,
    sport: input.sport,
    sourceSport: input.sourceSport,
    name: input.name,
    startUtc: new Date(first.timeMs),
    utcOffsetS: 0,
    distanceM: input.distanceM ?? measured ?? 0,
    movingS: input.movingS ?? movingSeconds(samples),
    elapsedS: (last.timeMs - first.timeMs) / 1000,
    elevationGainM: climb?.gainM,
    elevationLossM: climb?.lossM,
    avgCadenceSpm: cadence !== undefined && stepsPerCadence ? cadence * stepsPerCadence : undefined,
    avgHr: heartRate !== undefined ? Math.round(heartRate) : undefined,
    device: input.device,
    splits: splits.length ? splits : undefined,
    flags: [...(input.flags ?? []), 'utc_offset_unknown'],
  };
  return compact(run);
}
