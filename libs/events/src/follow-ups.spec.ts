import { DomainEvent } from './domain-event';
import { followUpsOf } from './follow-ups';

const at = new Date('2025-03-10T07:00:00Z');
const context = { recordedAt: at, now: at, checkinDelayMs: 30 * 60_000 };

describe('followUpsOf', () => {
  it('evaluates the runner after runs changed, and delays check-ins from the time of the write', () => {
    const later = { ...context, now: new Date(at.getTime() + 10 * 60_000) };
    expect(followUpsOf({ type: 'runs-changed', userId: 'u1', checkInRunIds: ['r1'] }, later)).toEqual([
      { queue: 'evaluate', payload: { userId: 'u1', reason: 'runs' }, options: { deduplicationId: 'evaluate-u1' } },
      { queue: 'pain-checkin', payload: { runId: 'r1' }, options: { jobId: 'checkin-r1', delayMs: 20 * 60_000 } },
    ]);
  });

  it('never delays a check-in into the past when the event is dispatched late', () => {
    const muchLater = { ...context, now: new Date(at.getTime() + 3 * 3600_000) };
    const [, checkIn] = followUpsOf({ type: 'runs-changed', userId: 'u1', checkInRunIds: ['r1'] }, muchLater);
    expect(checkIn.options.delayMs).toBe(0);
  });

  it('gives every job a deterministic id or a per-runner coalescing id', () => {
    const events: DomainEvent[] = [
      { type: 'pain-reported', userId: 'u1' },
      { type: 'shoes-changed', userId: 'u1' },
      { type: 'settings-changed', userId: 'u1' },
      { type: 'strava-data-removed', userId: 'u1' },
      { type: 'strava-history-imported', userId: 'u1' },
      { type: 'strava-connected', userId: 'u1', connectionId: 'c1', after: 1_700_000_000 },
      { type: 'alert-emails-requested', userId: 'u1', alertIds: ['a1', 'a2'], requestedAt: at.toISOString() },
    ];
    for (const event of events) {
      const jobs = followUpsOf(event, context);
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) expect(job.options.jobId ?? job.options.deduplicationId).toBeTruthy();
      expect(followUpsOf(event, context)).toEqual(jobs);
    }
  });

  it('queues one notify job per alert, with the id of that email request', () => {
    const jobs = followUpsOf({ type: 'alert-emails-requested', userId: 'u1', alertIds: ['a1'], requestedAt: at.toISOString() }, context);
    expect(jobs).toEqual([{ queue: 'notify', payload: { alertId: 'a1' }, options: { jobId: `alert-a1-${at.getTime()}` } }]);
  });

  it('imports a new connection’s history once per connection', () => {
    expect(followUpsOf({ type: 'strava-connected', userId: 'u1', connectionId: 'c1', after: 1_700_000_000 }, context)).toEqual([
      {
        queue: 'strava-backfill',
        payload: { userId: 'u1', connectionId: 'c1', after: 1_700_000_000, page: 1 },
        options: { jobId: 'strava-backfill-c1' },
      },
    ]);
  });
});
