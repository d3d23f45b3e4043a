import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@deload/config';
import { WebhookEventsRepository } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { stubRepository } from '../../../../test/support/stub-repository';
import { StravaPushSubscriptions } from './push-subscriptions.service';
import { eventDedupeKey, stravaEventSchema } from './strava-event';
import { nextRetryAt, RETRY_HORIZON_MS, STRAVA_PROVIDER, StravaWebhookInbox } from './strava-webhook-inbox.service';

const OUR_SUBSCRIPTION = '777';
const NOW = new Date('2026-03-09T12:00:00Z');

function pushed(objectId: string, subscriptionId = OUR_SUBSCRIPTION) {
  return {
    object_type: 'activity',
    object_id: Number(objectId),
    aspect_type: 'create',
    owner_id: 42,
    subscription_id: Number(subscriptionId),
    event_time: 1_773_057_600,
  };
}

/** The intake's decisions with the inbox table and the queue stubbed (the real ones: strava-webhook-inbox.int-spec.ts). */
describe('StravaWebhookInbox (repositories stubbed)', () => {
  let rows: jest.Mocked<WebhookEventsRepository>;
  let jobs: jest.Mocked<JobQueue>;
  let subscriptions: jest.Mocked<StravaPushSubscriptions>;
  let inbox: StravaWebhookInbox;

  beforeEach(() => {
    rows = stubRepository(WebhookEventsRepository);
    jobs = stubRepository(JobQueue);
    jobs.addBulk.mockResolvedValue();
    subscriptions = stubRepository(StravaPushSubscriptions);
    subscriptions.recordedIds.mockResolvedValue([OUR_SUBSCRIPTION]);
    const config = { env: { SPOOL_DIR: join(tmpdir(), 'deload-unit-spool-unused'), STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-me' } };
    inbox = new StravaWebhookInbox(rows, config as unknown as AppConfig, jobs, subscriptions);
  });

  describe('the subscription handshake', () => {
    const challenge = (query: Record<string, unknown>) => () => inbox.answerChallenge(query);

    it('echoes the challenge when the verify token is ours', () => {
      expect(inbox.answerChallenge({ 'hub.mode': 'subscribe', 'hub.challenge': 'abc', 'hub.verify_token': 'verify-me' })).toEqual({
        'hub.challenge': 'abc',
      });
    });

    it('refuses a request without a challenge, and a wrong token', () => {
      expect(challenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me' })).toThrow(expect.objectContaining({ kind: 'invalid' }));
      expect(challenge({ 'hub.mode': 'subscribe', 'hub.challenge': 'abc', 'hub.verify_token': 'verify-you' })).toThrow(
        expect.objectContaining({ kind: 'forbidden' }),
      );
    });
  });

  describe('receiving an event', () => {
    it('refuses a body that is not a Strava event, before touching the inbox', async () => {
      await expect(inbox.receive({ object_type: 'activity' })).rejects.toMatchObject({ kind: 'invalid' });
      expect(rows.insertNew).not.toHaveBeenCalled();
    });

    it('drops, unstored, an event of a subscription that is not ours', async () => {
      expect(await inbox.receive(pushed('1', '999'))).toBeNull();
      expect(rows.insertNew).not.toHaveBeenCalled();
      expect(jobs.addBulk).not.toHaveBeenCalled();
    });

    it('stores a new event and queues it under a job id made from its inbox row', async () => {
      const key = eventDedupeKey(stravaEventSchema.parse(pushed('1')));
      rows.insertNew.mockResolvedValue([{ id: 'event-1', dedupeKey: key, status: 'pending' }]);
      expect(await inbox.receive(pushed('1'))).toEqual({ eventId: 'event-1', duplicate: false, spooled: false });
      expect(rows.insertNew).toHaveBeenCalledWith(STRAVA_PROVIDER, [
        { dedupeKey: key, payload: expect.objectContaining({ object_id: '1' }) },
      ]);
      expect(rows.byDedupeKeys).not.toHaveBeenCalled();
      expect(jobs.addBulk).toHaveBeenCalledWith('strava-event', [
        { payload: { eventId: 'event-1' }, options: { jobId: 'strava-event-event-1' } },
      ]);
    });

    it("answers a retry of an event already handled as a duplicate, and doesn't queue it again", async () => {
      const key = eventDedupeKey(stravaEventSchema.parse(pushed('2')));
      rows.insertNew.mockResolvedValue([]);
      rows.byDedupeKeys.mockResolvedValue([{ id: 'event-2', dedupeKey: key, status: 'processed' }]);
      expect(await inbox.receive(pushed('2'))).toEqual({ eventId: 'event-2', duplicate: true, spooled: false });
      expect(rows.byDedupeKeys).toHaveBeenCalledWith(STRAVA_PROVIDER, [key]);
      expect(jobs.addBulk.mock.calls.flatMap(([, queued]) => queued)).toEqual([]);
    });
  });

  describe('postponing an event whose job gave up', () => {
    it('does nothing for an event no longer in the inbox', async () => {
      rows.retryState.mockResolvedValue(null);
      expect(await inbox.postpone('gone', 'Strava is down', NOW)).toBe(false);
      expect(rows.postpone).not.toHaveBeenCalled();
      expect(rows.settle).not.toHaveBeenCalled();
    });

    it('queues it again later, spaced by how often it was postponed already', async () => {
      rows.retryState.mockResolvedValue({ attempts: 2, receivedAt: new Date(NOW.getTime() - 3600_000) });
      expect(await inbox.postpone('event-3', 'Strava is down', NOW)).toBe(true);
      expect(rows.postpone).toHaveBeenCalledWith('event-3', nextRetryAt(3, NOW), 'Strava is down');
    });

    it('settles it failed once it arrived longer ago than the retry horizon', async () => {
      rows.retryState.mockResolvedValue({ attempts: 5, receivedAt: new Date(NOW.getTime() - RETRY_HORIZON_MS - 1) });
      expect(await inbox.postpone('event-4', 'Strava is down', NOW)).toBe(false);
      expect(rows.postpone).not.toHaveBeenCalled();
      expect(rows.settle).toHaveBeenCalledWith('event-4', 'failed', 'gave up after 6 rounds of retries: Strava is down');
    });
  });

  it('keeps no note for a processed event, and at most 1000 characters of one for the others', async () => {
    await inbox.settle('event-5', 'processed', 'ignored note');
    await inbox.settle('event-6', 'ignored', 'x'.repeat(1200));
    expect(rows.settle).toHaveBeenCalledWith('event-5', 'processed', null);
    expect(rows.settle).toHaveBeenCalledWith('event-6', 'ignored', 'x'.repeat(1000));
  });

  it('records nothing for a reconciliation that found nothing missing', async () => {
    expect(await inbox.recordMissing('42', [], NOW)).toBe(0);
    expect(rows.insertReconciled).not.toHaveBeenCalled();
  });
});
