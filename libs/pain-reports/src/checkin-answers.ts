import { type DistanceUnit, metresPer, type PainObservation } from '@deload/domain';

/** One "pain started …" choice in a check-in email: a stretch of the run in the runner's units. */
export interface OnsetBucket {
  /** The answer in the link: "b0", "b1", … */
  key: string;
  /** "in the first 2 km", "between 2 and 4 km". */
  label: string;
  /** Middle of the stretch, metres: what is recorded when the runner clicks it. */
  onsetM: number;
}

export type CheckinAnswer = { kind: 'none' } | { kind: 'bucket'; bucket: OnsetBucket } | { kind: 'other' };

const STEPS = [0.5, 1, 2, 5, 10];
const MAX_BUCKETS = 6;

function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * Five or six stretches of the run, in round numbers of the runner's units (0.5, 1, 2, 5 or 10);
 * a last stretch shorter than half a step joins the one before it.
 */
export function onsetBuckets(distanceM: number, units: DistanceUnit): OnsetBucket[] {
  const perUnit = metresPer(units);
  const total = distanceM / perUnit;
  if (!(total > 0)) return [];
  const step = STEPS.find((candidate) => total / candidate <= MAX_BUCKETS) ?? STEPS[STEPS.length - 1];
  let count = Math.max(1, Math.ceil(total / step - 1e-9));
  if (count > 1 && total - (count - 1) * step < step / 2) count -= 1;
  return Array.from({ length: count }, (_, index) => {
    const from = index * step;
    const to = index === count - 1 ? total : (index + 1) * step;
    return {
      key: `b${index}`,
      label: index === 0 ? `in the first ${formatNumber(to)} ${units}` : `between ${formatNumber(from)} and ${formatNumber(to)} ${units}`,
      onsetM: Math.round(((from + to) / 2) * perUnit),
    };
  });
}

/** Reads the answer of a check-in link (`?answer=none|b2|other`); anything else counts as "other". */
export function readCheckinAnswer(answer: unknown, buckets: OnsetBucket[]): CheckinAnswer {
  if (answer === 'none') return { kind: 'none' };
  const bucket = buckets.find((candidate) => candidate.key === answer);
  return bucket ? { kind: 'bucket', bucket } : { kind: 'other' };
}

/** What a one-click answer records; the location is the runner's usual one until they say otherwise. */
export function observationFor(answer: CheckinAnswer, usualLocation?: PainObservation['location']): PainObservation | null {
  if (answer.kind === 'none') return { hasPain: false };
  if (answer.kind === 'bucket')
    return { hasPain: true, onsetM: answer.bucket.onsetM, ...(usualLocation ? { location: usualLocation } : {}) };
  return null;
}
