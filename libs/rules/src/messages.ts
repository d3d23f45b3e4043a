import type { DistanceUnit } from '@deload/domain';
import { formatDistance } from './presentation/format';
import type { MessagePieces } from './types';

/** Every alert ends with this: the engine suggests, it does not diagnose. */
export const DISCLAIMER =
  'This is a suggestion based on your training log, not medical advice. If pain lasts around two weeks or gets worse, see a physiotherapist or doctor.';

/** The deload advice shared by the load rules (DESIGN.md → Rules, the suggestion in an email). */
export function deloadSuggestions(weeklyM: number, units: DistanceUnit): string[] {
  const low = formatDistance(weeklyM * 0.7, units).split(' ')[0];
  return [
    `Cut the next 7 days by 20–30 % (about ${low}–${formatDistance(weeklyM * 0.8, units)} instead of the ${formatDistance(weeklyM, units)} of the last 7 days).`,
    'Keep the runs easy and flat, and skip the long run this week.',
    'If something starts to hurt, stop at the point the pain starts rather than finishing the run.',
  ];
}

/** Hip and glute work and IT-band care (DESIGN.md → Rules). */
export const HIP_AND_GLUTE_WORK =
  'Do some hip and glute work on easy days: bridges with a band, side-lying leg raises, lateral band walks and side planks.';
export const RELEASE_NOT_ROLL =
  'Release the hip and the muscle at the front of the hip (TFL) rather than rolling an acutely painful IT band.';

const described = new WeakMap<object, MessagePieces>();

/**
 * A condition's message, written the first time it is read: the replay looks at a handful of the
 * conditions it sees each day, the service at all of them.
 */
export function describeOnce(condition: object, describe: () => MessagePieces): MessagePieces {
  let message = described.get(condition);
  if (!message) described.set(condition, (message = describe()));
  return message;
}
