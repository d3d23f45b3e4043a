import { METRES_PER_KM, Split } from '@deload/domain';
import { climbing, mean, Sample } from './samples';

interface Crossing {
  timeMs: number;
  distanceM: number;
}

/** When the run passed `target` metres, interpolated between two samples. */
function crossing(before: Sample & { distanceM: number }, after: Sample & { distanceM: number }, target: number): Crossing {
  const span = after.distanceM - before.distanceM;
  const share = span > 0 ? (target - before.distanceM) / span : 1;
  return { timeMs: before.timeMs + share * (after.timeMs - before.timeMs), distanceM: target };
}

function split(index: number, from: Crossing, to: Crossing, inside: Sample[], stepsPerCadence: number | undefined): Split {
  const climb = climbing(inside);
  const cadence = mean(inside.map((sample) => sample.cadence));
  const heartRate = mean(inside.map((sample) => sample.heartRate));
  return {
    index,
    distanceM: round(to.distanceM - from.distanceM, 1),
    elapsedS: round((to.timeMs - from.timeMs) / 1000, 1),
    ...(climb ? { elevationGainM: round(climb.gainM, 1), elevationLossM: round(climb.lossM, 1) } : {}),
    ...(heartRate !== undefined ? { avgHr: Math.round(heartRate) } : {}),
    ...(cadence !== undefined && stepsPerCadence ? { avgCadenceSpm: round(cadence * stepsPerCadence, 1) } : {}),
  };
}

/**
 * Per-kilometre splits from the record samples of one session (cumulative distance). The last
 * split is the remainder and may be shorter than 1 km. `stepsPerCadence` is 2 for running
 * (FIT cadence counts one leg) and undefined where cadence is not steps.
 */
export function kilometreSplits(samples: Sample[], stepsPerCadence: number | undefined): Split[] {
  const points = samples.filter((sample): sample is Sample & { distanceM: number } => sample.distanceM !== undefined);
  if (points.length < 2) return [];
  const splits: Split[] = [];
  let start: Crossing = { timeMs: points[0].timeMs, distanceM: points[0].distanceM };
  let inside: Sample[] = [points[0]];
  for (let i = 1; i < points.length; i += 1) {
    const previous = points[i - 1];
    const current = points[i];
    while (current.distanceM >= start.distanceM + METRES_PER_KM) {
      const end = crossing(previous, current, start.distanceM + METRES_PER_KM);
      splits.push(split(splits.length + 1, start, end, inside, stepsPerCadence));
      start = end;
      inside = [];
    }
    inside.push(current);
  }
  const last = points[points.length - 1];
  if (last.distanceM - start.distanceM >= 1) {
    splits.push(split(splits.length + 1, start, { timeMs: last.timeMs, distanceM: last.distanceM }, inside, stepsPerCadence));
  }
  return splits;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
