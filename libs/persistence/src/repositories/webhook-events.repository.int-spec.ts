import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../../../../test/support/test-database';
import { WebhookEventEntity } from '../entities';
import { WebhookEventsRepository } from './webhook-events.repository';

const activity = (objectId: string, ownerId = '42') => ({
  object_type: 'activity',
  object_id: objectId,
  owner_id: ownerId,
  aspect_type: 'create',
});

describe('WebhookEventsRepository against PostgreSQL', () => {
  let db: DataSource;
  let inbox: WebhookEventsRepository;
  /** A provider of the test's own: the inbox's queries are per provider, so other tests' events never show. */
  let provider: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    inbox = new WebhookEventsRepository(db);
  });
  beforeEach(() => {
    provider = `test-${randomBytes(4).toString('hex')}`;
  });
  afterAll(() => db.destroy());

  const rows = () => db.getRepository(WebhookEventEntity);
  const age = (id: string, receivedAt: Date) => rows().update({ id }, { receivedAt });

  it('stores each event once per dedupe key and finds the rows of those received before', async () => {
    const first = await inbox.insertNew(provider, [
      { dedupeKey: 'a', payload: activity('1') },
      { dedupeKey: 'b', payload: activity('2') },
      { dedupeKey: 'a', payload: activity('1') },
    ]);
    expect(first.map((row) => [row.dedupeKey, row.status])).toEqual([
      ['a', 'pending'],
      ['b', 'pending'],
    ]);
    const again = await inbox.insertNew(provider, [
      { dedupeKey: 'b', payload: activity('2') },
      { dedupeKey: 'c', payload: activity('3') },
    ]);
    expect(again.map((row) => row.dedupeKey)).toEqual(['c']);
    const existing = await inbox.byDedupeKeys(provider, ['a', 'b', 'missing']);
    expect(existing.map((row) => row.dedupeKey).sort()).toEqual(['a', 'b']);
    expect(existing.find((row) => row.dedupeKey === 'a')?.id).toBe(first[0].id);
    expect(await inbox.payloadAndStatus(first[1].id)).toEqual({ payload: activity('2'), status: 'pending' });
    expect(await inbox.payloadAndStatus('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('stores activities the reconciliation found missing once each, as reconciliation events', async () => {
    const ids = await inbox.insertReconciled(provider, [activity('7'), activity('8')]);
    expect(ids).toHaveLength(2);
    expect(await inbox.insertReconciled(provider, [activity('8'), activity('9')])).toHaveLength(1);
    expect(await rows().findOneBy({ id: ids[0] })).toMatchObject({
      provider,
      dedupeKey: 'reconcile-7',
      source: 'reconciliation',
      status: 'pending',
    });
  });

  it('settles events, keeping the note given', async () => {
    const [done, ignored] = await inbox.insertNew(provider, [
      { dedupeKey: 'done', payload: activity('1') },
      { dedupeKey: 'ignored', payload: activity('2') },
    ]);
    await inbox.settle(done.id, 'processed', null);
    await inbox.settle(ignored.id, 'ignored', 'not a run');
    expect(await rows().findOneBy({ id: done.id })).toMatchObject({ status: 'processed', error: null, processedAt: expect.any(Date) });
    expect(await rows().findOneBy({ id: ignored.id })).toMatchObject({ status: 'ignored', error: 'not a run' });
  });

  it('finds pending events to queue again (lost, or whose retry time came), oldest first, and postpones them', async () => {
    const [lost, , postponed, settled] = await inbox.insertNew(
      provider,
      ['lost', 'recent', 'postponed', 'settled'].map((key) => ({ dedupeKey: key, payload: activity(key) })),
    );
    const now = Date.now();
    await age(lost.id, new Date(now - 10 * 60_000));
    await age(postponed.id, new Date(now - 20 * 60_000));
    await age(settled.id, new Date(now - 30 * 60_000));
    await inbox.settle(settled.id, 'failed', 'gave up');
    expect(await inbox.dueForRequeue(provider, 2 * 60_000)).toEqual([postponed.id, lost.id]);
    expect(await inbox.dueForRequeue(provider, 15 * 60_000)).toEqual([postponed.id]);

    const retryAt = new Date(now + 3600_000);
    await inbox.postpone(postponed.id, retryAt, 'Strava is down');
    expect(await inbox.retryState(postponed.id)).toEqual({ attempts: 1, receivedAt: new Date(now - 20 * 60_000) });
    expect(await rows().findOneBy({ id: postponed.id })).toMatchObject({ retryAt, error: 'Strava is down', status: 'pending' });
    expect(await inbox.dueForRequeue(provider, 2 * 60_000)).toEqual([lost.id]);
    await inbox.postpone(settled.id, retryAt, 'too late');
    expect(await inbox.retryState(settled.id)).toMatchObject({ attempts: 0 });
    expect(await inbox.retryState('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('deletes handled events older than the retention, never pending or failed ones', async () => {
    const [processed, ignored, failed, pending, fresh] = await inbox.insertNew(
      provider,
      ['processed', 'ignored', 'failed', 'pending', 'fresh'].map((key) => ({ dedupeKey: key, payload: activity(key) })),
    );
    const now = new Date();
    const old = new Date(now.getTime() - 31 * 86_400_000);
    for (const row of [processed, ignored, failed, pending]) await age(row.id, old);
    await inbox.settle(processed.id, 'processed', null);
    await inbox.settle(ignored.id, 'ignored', 'not a run');
    await inbox.settle(failed.id, 'failed', 'gave up');
    await inbox.settle(fresh.id, 'processed', null);
    expect(await inbox.deleteHandledBefore(now, 30)).toBeGreaterThanOrEqual(2);
    const left = (await rows().findBy({ provider })).map((row) => row.dedupeKey).sort();
    expect(left).toEqual(['failed', 'fresh', 'pending']);
  });
});
