import { DataSource } from 'typeorm';
import { addAlert, addUser, openTestDatabase } from '../../test/fixtures';
import { EmailDeliveriesRepository, EmailToClaim } from './email-deliveries.repository';

describe('EmailDeliveriesRepository against PostgreSQL', () => {
  let db: DataSource;
  let deliveries: EmailDeliveriesRepository;
  let userId: string;
  let n = 0;
  const email = (kind: EmailToClaim['kind'] = 'weekly-summary'): EmailToClaim => ({
    userId,
    kind,
    dedupeKey: `key-${++n}-${Date.now()}`,
    messageId: `<m${n}@test>`,
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    deliveries = new EmailDeliveriesRepository(db);
    userId = (await addUser(db)).id;
  });
  afterAll(() => db?.destroy());

  it('claims an email once; a second claim finds the row, locked for its transaction', async () => {
    const one = email();
    expect(await deliveries.claimNew(one, 'p1')).toBe(true);
    expect(await deliveries.claimNew(one, 'p2')).toBe(false);
    const row = await db.transaction((tx) => deliveries.lock(one.kind, one.dedupeKey, tx));
    expect(row).toMatchObject({ status: 'sending', attempts: 1, claimedBy: 'p1', messageId: one.messageId });
  });

  it('a failed send is released, then reclaimed, and sent with its receipt', async () => {
    const one = email();
    await deliveries.claimNew(one, 'p1');
    await deliveries.markFailed(one.kind, one.dedupeKey, 'connection refused');
    const failed = await deliveries.find(one.kind, one.dedupeKey);
    expect(failed).toMatchObject({ status: 'failed', lastError: 'connection refused', claimedBy: null });
    await deliveries.reclaim(failed!.id, 'p2', 'attempt 1 stopped');
    expect(await deliveries.find(one.kind, one.dedupeKey)).toMatchObject({
      status: 'sending',
      attempts: 2,
      claimedBy: 'p2',
      interruptedAttempts: 1,
      lastError: 'attempt 1 stopped',
    });
    await db.transaction((tx) => deliveries.markSent(one.kind, one.dedupeKey, '250 OK', tx));
    const sent = await deliveries.find(one.kind, one.dedupeKey);
    expect(sent).toMatchObject({ status: 'sent', receipt: '250 OK', claimedAt: null });
    expect(sent?.sentAt).toBeInstanceOf(Date);
    // Only a claim in progress can fail.
    await deliveries.markFailed(one.kind, one.dedupeKey, 'late error');
    expect((await deliveries.find(one.kind, one.dedupeKey))?.status).toBe('sent');
  });

  it('a skip replaces a failure but never a sent email', async () => {
    const failed = email();
    await deliveries.claimNew(failed, 'p1');
    await deliveries.markFailed(failed.kind, failed.dedupeKey, 'boom');
    await deliveries.skip(failed, 'the runner unsubscribed');
    expect(await deliveries.find(failed.kind, failed.dedupeKey)).toMatchObject({ status: 'skipped', lastError: 'the runner unsubscribed' });
    const sent = email();
    await deliveries.claimNew(sent, 'p1');
    await deliveries.markSent(sent.kind, sent.dedupeKey, '250 OK');
    await deliveries.skip(sent, 'too late');
    expect((await deliveries.find(sent.kind, sent.dedupeKey))?.status).toBe('sent');
    const fresh = email();
    await deliveries.skip(fresh, 'nothing to say');
    expect((await deliveries.find(fresh.kind, fresh.dedupeKey))?.status).toBe('skipped');
  });

  it('counts the emails sent, and lists an alert’s own emails and those that carried it', async () => {
    const { id: runnerId } = await addUser(db);
    const requestedAt = new Date('2024-05-01T08:00:00Z');
    const carried = await addAlert(db, runnerId);
    const lead = await addAlert(db, runnerId, { notifyRequestedAt: requestedAt, notifyAlso: [carried.id] });
    const leadEmail = {
      userId: runnerId,
      kind: 'alert' as const,
      dedupeKey: `${lead.id}-${requestedAt.getTime()}`,
      messageId: '<lead@test>',
    };
    await deliveries.claimNew(leadEmail, 'p1');
    await deliveries.markSent('alert', leadEmail.dedupeKey, '250 OK');
    expect(await deliveries.countSent([runnerId], 'alert')).toBe(1);
    expect(await deliveries.countSent([runnerId], 'weekly-summary')).toBe(0);
    const about = await deliveries.aboutAlerts(runnerId, [lead.id, carried.id]);
    expect(about).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ alertId: lead.id, messageId: '<lead@test>', status: 'sent', carried: false }),
        expect.objectContaining({ alertId: carried.id, messageId: '<lead@test>', status: 'sent', carried: true }),
      ]),
    );
    expect(about).toHaveLength(2);
    expect(await deliveries.aboutAlerts(runnerId, [])).toEqual([]);
  });
});
