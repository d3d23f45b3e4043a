import type { EnqueueOptions, QueueName, QueuePayloads } from '@deload/queue';
import { notifyJobId } from '@deload/queue';
import { DomainEvent } from './domain-event';

/** One job to queue because of an event. */
export type FollowUp = {
  [N in QueueName]: { queue: N; payload: QueuePayloads[N]; options: EnqueueOptions };
}[QueueName];

export interface FollowUpContext {
  /** When the event was recorded: delays count from the write, not from when the event is dispatched. */
  recordedAt: Date;
  now: Date;
  /** PAIN_CHECKIN_DELAY_MIN, in ms. */
  checkinDelayMs: number;
}

/** Evaluations coalesce per runner: many events in a burst evaluate once or twice. */
function evaluate(userId: string, reason: QueuePayloads['evaluate']['reason']): FollowUp {
  return { queue: 'evaluate', payload: { userId, reason }, options: { deduplicationId: `evaluate-${userId}` } };
}

/**
 * The jobs that follow from an event: the one table of "what happens after a write". Every job has
 * a deterministic id or coalesces, so dispatching an event twice (a retry after Redis failed
 * half-way) queues nothing twice.
 */
export function followUpsOf(event: DomainEvent, context: FollowUpContext): FollowUp[] {
  switch (event.type) {
    case 'runs-changed': {
      const delayMs = Math.max(0, context.recordedAt.getTime() + context.checkinDelayMs - context.now.getTime());
      const checkIns: FollowUp[] = (event.checkInRunIds ?? []).map((runId) => ({
        queue: 'pain-checkin',
        payload: { runId },
        options: { jobId: `checkin-${runId}`, delayMs },
      }));
      return [evaluate(event.userId, 'runs'), ...checkIns];
    }
    case 'pain-reported':
      return [evaluate(event.userId, 'pain')];
    case 'shoes-changed':
      return [evaluate(event.userId, 'shoes')];
    case 'settings-changed':
      return [evaluate(event.userId, 'settings')];
    case 'strava-data-removed':
    case 'strava-history-imported':
      return [evaluate(event.userId, 'runs')];
    case 'strava-connected':
      return [
        {
          queue: 'strava-backfill',
          payload: { userId: event.userId, connectionId: event.connectionId, after: event.after, page: 1 },
          options: { jobId: `strava-backfill-${event.connectionId}` },
        },
      ];
    case 'strava-connection-moved':
      return [
        {
          queue: 'strava-backfill',
          payload: { userId: event.userId, connectionId: event.connectionId, after: event.after, page: 1 },
          options: { jobId: `strava-backfill-${event.connectionId}-${event.userId}` },
        },
      ];
    case 'upload-received':
      return [{ queue: 'fit-ingest', payload: { uploadId: event.uploadId }, options: { jobId: `upload-${event.uploadId}` } }];
    case 'alert-emails-requested':
      return event.alertIds.map((alertId) => ({
        queue: 'notify',
        payload: { alertId },
        options: { jobId: notifyJobId(alertId, new Date(event.requestedAt)) },
      }));
  }
}
