import type { DistanceUnit } from '@deload/domain';
import type { RunEntity } from '@deload/persistence';
import { formatDistance } from '@deload/rules';

/** "10.2 km run on Tuesday morning", in the run's own local time. */
export function describeRun(run: Pick<RunEntity, 'distanceM' | 'startUtc' | 'utcOffsetS'>, units: DistanceUnit): string {
  const local = new Date(run.startUtc.getTime() + run.utcOffsetS * 1000);
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(local);
  const hour = local.getUTCHours();
  const part = hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : hour < 21 ? 'evening' : 'night';
  const distance = run.distanceM > 0 ? `${formatDistance(run.distanceM, units)} ` : '';
  return `${distance}run on ${weekday} ${part}`;
}
