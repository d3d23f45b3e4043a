import { createHash } from 'node:crypto';
import { z } from 'zod';
import { stravaId } from '../api/strava-schemas';

/** A Strava push event (fixtures/strava/SOURCES.md). `updates` values are strings, e.g. authorized: "false". */
export const stravaEventSchema = z.object({
  object_type: z.enum(['activity', 'athlete']),
  object_id: stravaId,
  aspect_type: z.enum(['create', 'update', 'delete']),
  updates: z.record(z.string(), z.unknown()).default({}),
  owner_id: stravaId,
  subscription_id: stravaId,
  event_time: z.number().int().positive(),
});

export type StravaEvent = z.infer<typeof stravaEventSchema>;

/**
 * Strava retries an event it thinks we missed with the same body, so everything in it makes the
 * key: the retries share one inbox row, different events never do.
 */
export function eventDedupeKey(event: StravaEvent): string {
  const updates = createHash('sha256')
    .update(JSON.stringify(Object.entries(event.updates).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex')
    .slice(0, 16);
  return [event.subscription_id, event.owner_id, event.object_type, event.object_id, event.aspect_type, event.event_time, updates].join(
    '-',
  );
}

/** The athlete withdrew Deload's access ("false" is a string in Strava's payload). */
export function isDeauthorization(event: StravaEvent): boolean {
  return event.object_type === 'athlete' && String(event.updates.authorized) === 'false';
}
