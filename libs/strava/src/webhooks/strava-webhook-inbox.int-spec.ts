import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { startStravaContext, StravaContext } from '../../../../test/support/strava-context';
import { StravaPushSubscriptions } from './push-subscriptions.service';
import { stravaEventJobId, StravaWebhookInbox } from './strava-webhook-inbox.service';

describe('StravaWebhookInbox (PostgreSQL inbox + BullMQ)', () => {
  let context: StravaContext;
  let inbox: StravaWebhookInbox;
  let queue: Queue;
  let subscriptionId: number;
  let nextObject = Math.floor(Math.random() * 1e9);

  const event = (fields: Record<string, unknown> = {}) => ({
    object_type: 'activity',
    object_id: nextObject++,
    aspect_type: 'create',
    updates: {},
    owner_id: 42,
    subscription_id: subscriptionId,
    event_time: 1_760_000_000,
    ...fields,
  });

  beforeAll(async () => {
    context = await startStravaContext();
    inbox = context.app.get(StravaWebhookInbox);
    queue = context.app.get(getQueueToken('strava-event'), { strict: false });
    const db = context.app.get(DataSource);
    subscriptionId = 600_000 + Math.floor(Math.random() * 1000);
    await db.query(`INSERT INTO strava_push_subscriptions (id, callback_url) VALUES ($1, 'http://deload.test/webhooks/strava')`, [
      subscriptionId,
    ]);
  });

  afterAll(async () => {
    await context?.app.get(DataSource).query(`DELETE FROM strava_push_subscriptions WHERE id = $1`, [subscriptionId]);
    await context?.close();
  });

  it('records an event once and queues it once, however often and however fast it arrives', async () => {
    const body = event();
    const results = (await Promise.all([inbox.receive(body), inbox.receive(body), inbox.receive({ ...body })])).map((result) => result!);
    expect(new Set(results.map((result) => result.eventId)).size).toBe(1);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect((await inbox.receive(body))?.duplicate).toBe(true);
    const job = await queue.getJob(stravaEventJobId(results[0].eventId!));
    expect(job?.data).toEqual({ eventId: results[0].eventId });
    const rows = await context.app.get(DataSource).query(`SELECT payload FROM webhook_events WHERE id = $1`, [results[0].eventId]);
    expect(rows[0].payload).toMatchObject({ object_id: String(body.object_id), owner_id: '42' });
  });

  it('drops an event of another subscription (storing nothing) and refuses a body that is not an event', async () => {
    const other = event({ subscription_id: subscriptionId + 1 });
    await expect(inbox.receive(other)).resolves.toBeNull();
    const stored = await context.app
      .get(DataSource)
      .query(`SELECT 1 FROM webhook_events WHERE payload->>'object_id' = $1`, [String(other.object_id)]);
    expect(stored).toEqual([]);
    await expect(inbox.receive({ ...event(), aspect_type: 'rename' })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('queues an event the api recorded but could not queue (the sweep), still only once', async () => {
    const [{ id }] = await context.app
      .get(DataSource)
      .query(
        `INSERT INTO webhook_events (provider, dedupe_key, payload, received_at) VALUES ('strava', $1, $2, now() - interval '10 minutes') RETURNING id`,
        [`sweep-${nextObject}`, event()],
      );
    expect(await queue.getJob(stravaEventJobId(id))).toBeUndefined();
    expect(await inbox.requeuePending()).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob(stravaEventJobId(id))).toBeDefined();
    const before = await queue.count();
    await inbox.requeuePending();
    expect(await queue.count()).toBe(before);
  });

  it('keeps an event whose job gave up while Strava failed, and queues it again when its retry time comes', async () => {
    const { eventId } = (await inbox.receive(event()))!;
    const job = await queue.getJob(stravaEventJobId(eventId!));
    await job!.remove(); // as if the job had run out of attempts and been cleaned up
    expect(await inbox.postpone(eventId!, 'Strava answered 503')).toBe(true);
    const db = context.app.get(DataSource);
    const [postponed] = await db.query(`SELECT status, attempts, retry_at > now() AS later, error FROM webhook_events WHERE id = $1`, [
      eventId,
    ]);
    expect(postponed).toMatchObject({ status: 'pending', attempts: 1, later: true, error: 'Strava answered 503' });
    await inbox.requeuePending();
    expect(await queue.getJob(stravaEventJobId(eventId!))).toBeUndefined(); // not yet: its retry time has not come
    await db.query(`UPDATE webhook_events SET retry_at = now() - interval '1 second' WHERE id = $1`, [eventId]);
    await inbox.requeuePending();
    expect(await queue.getJob(stravaEventJobId(eventId!))).toBeDefined();
  });

  it('settles an event failed once its retries have lasted a week', async () => {
    const { eventId } = (await inbox.receive(event()))!;
    const db = context.app.get(DataSource);
    await db.query(`UPDATE webhook_events SET received_at = now() - interval '8 days' WHERE id = $1`, [eventId]);
    expect(await inbox.postpone(eventId!, 'Strava answered 503')).toBe(false);
    const [settled] = await db.query(`SELECT status, error FROM webhook_events WHERE id = $1`, [eventId]);
    expect(settled).toMatchObject({ status: 'failed', error: expect.stringContaining('gave up') });
  });

  it('puts activities the reconciliation found missing into the inbox once, as pushed events', async () => {
    const ids = [String(nextObject++), String(nextObject++)];
    expect(await inbox.recordMissing('42', ids)).toBe(2);
    expect(await inbox.recordMissing('42', ids)).toBe(0);
    const rows = await context.app
      .get(DataSource)
      .query(`SELECT id, source, payload FROM webhook_events WHERE dedupe_key = ANY($1)`, [ids.map((id) => `reconcile-${id}`)]);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ source: 'reconciliation', payload: { object_type: 'activity', aspect_type: 'create', owner_id: '42' } });
      expect(await queue.getJob(stravaEventJobId(row.id))).toBeDefined();
    }
  });

  it('answers the subscription challenge only with the verify token', () => {
    expect(inbox.answerChallenge({ 'hub.mode': 'subscribe', 'hub.challenge': 'c1', 'hub.verify_token': 'fake-verify-token' })).toEqual({
      'hub.challenge': 'c1',
    });
    expect(() => inbox.answerChallenge({ 'hub.mode': 'subscribe', 'hub.challenge': 'c1', 'hub.verify_token': 'nope' })).toThrow(
      'hub.verify_token does not match',
    );
    expect(() => inbox.answerChallenge({ 'hub.mode': 'unsubscribe', 'hub.challenge': 'c1' })).toThrow(/hub.mode=subscribe/);
  });

  it('adopts the subscription Strava lists for our callback when it is not on record', async () => {
    const subscriptions = context.app.get(StravaPushSubscriptions);
    const id = subscriptionId + 500;
    context.fake.subscription = { id, callback_url: subscriptions.callbackUrl(), verify_token: 'fake-verify-token' };
    expect(await subscriptions.list()).toEqual([{ id: String(id), callbackUrl: subscriptions.callbackUrl(), recorded: true }]);
    expect(await subscriptions.recordedIds()).toContain(String(id));
    await expect(subscriptions.unsubscribe()).resolves.toBe(String(id));
    expect(await subscriptions.recordedIds()).not.toContain(String(id));
    expect(context.fake.subscription).toBeUndefined();
  });
});
