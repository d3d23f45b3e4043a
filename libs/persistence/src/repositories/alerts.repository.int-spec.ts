import { DataSource } from 'typeorm';
import { addAlert, addUser, openTestDatabase } from '../../test/fixtures';
import { AlertsRepository } from './alerts.repository';
import { EmailDeliveriesRepository } from './email-deliveries.repository';

describe('AlertsRepository against PostgreSQL', () => {
  let db: DataSource;
  let alerts: AlertsRepository;
  let deliveries: EmailDeliveriesRepository;
  const at = (iso: string) => new Date(iso);

  beforeAll(async () => {
    db = await openTestDatabase();
    alerts = new AlertsRepository(db);
    deliveries = new EmailDeliveriesRepository(db);
  });
  afterAll(() => db?.destroy());

  it('opens, refreshes, resolves and asks for an email, as the lifecycle writes it', async () => {
    const { id: userId } = await addUser(db);
    const opened = await db.transaction((tx) =>
      alerts.open(
        {
          userId,
          rule: 'monotony',
          dedupeKey: 'm1',
          severity: 'caution',
          facts: { monotony: 2.1 },
          message: { headline: 'Same every day' },
          state: 'open',
          firstSeenAt: at('2024-05-01T08:00:00Z'),
          lastSeenAt: at('2024-05-01T08:00:00Z'),
        },
        tx,
      ),
    );
    expect(opened.id).toEqual(expect.any(String));
    await alerts.update(opened.id, { severity: 'warning', facts: { monotony: 2.4 }, lastSeenAt: at('2024-05-02T08:00:00Z') });
    await alerts.requestEmail(opened.id, { at: at('2024-05-02T08:00:00Z'), severity: 'warning', also: [] });
    expect(await alerts.byId(opened.id)).toMatchObject({
      severity: 'warning',
      facts: { monotony: 2.4 },
      notifyRequestedAt: at('2024-05-02T08:00:00Z'),
      notifyRequestedSeverity: 'warning',
    });
    expect(await alerts.lastEmailRequestAt(userId, at('2024-05-03T00:00:00Z'))).toEqual(at('2024-05-02T08:00:00Z'));
    expect(await alerts.lastEmailRequestAt(userId, at('2024-05-02T07:00:00Z'))).toBeNull();
    await alerts.resolve([opened.id], at('2024-05-05T08:00:00Z'));
    expect(await alerts.byId(opened.id)).toMatchObject({ state: 'resolved', resolvedAt: at('2024-05-05T08:00:00Z') });
    // Resolving again keeps the first resolution.
    await alerts.resolve([opened.id], at('2024-05-06T08:00:00Z'));
    expect((await alerts.byId(opened.id))?.resolvedAt).toEqual(at('2024-05-05T08:00:00Z'));
  });

  it('picks the open alerts and those covered or seen since a day', async () => {
    const { id: userId } = await addUser(db);
    const open = await addAlert(db, userId);
    const coveredLately = await addAlert(db, userId, {
      state: 'resolved',
      coveredAt: at('2024-05-10T08:00:00Z'),
      lastSeenAt: at('2024-05-01T08:00:00Z'),
    });
    const seenLately = await addAlert(db, userId, { state: 'resolved', lastSeenAt: at('2024-05-10T08:00:00Z') });
    await addAlert(db, userId, { state: 'resolved', coveredAt: at('2024-04-01T08:00:00Z') });
    const ids = (list: { id: string }[]) => list.map((alert) => alert.id).sort();
    expect(ids(await alerts.openOrCoveredSince(userId, at('2024-05-05T00:00:00Z')))).toEqual([open.id, coveredLately.id].sort());
    expect(ids(await alerts.openOrSeenSince(userId, at('2024-05-05T00:00:00Z')))).toEqual([open.id, seenLately.id].sort());
    expect((await alerts.openOf([userId])).map((alert) => alert.rule)).toEqual(['weekly-increase']);
    expect(await alerts.openOf([])).toEqual([]);
    expect(await alerts.openSignsOf(userId)).toEqual([{ rule: 'weekly-increase', severity: 'warning' }]);
    expect((await alerts.historyOf(userId, 2)).length).toBe(2);
  });

  it('finds the email requests still waiting, and those lost on the way', async () => {
    const { id: userId } = await addUser(db);
    const requestedAt = at('2024-05-01T08:00:00Z');
    const waiting = await addAlert(db, userId, { notifyRequestedAt: requestedAt });
    const sent = await addAlert(db, userId, { notifyRequestedAt: requestedAt, notifiedAt: at('2024-05-01T08:01:00Z') });
    const skipped = await addAlert(db, userId, { notifyRequestedAt: requestedAt });
    await deliveries.skip(
      { userId, kind: 'alert', dedupeKey: `${skipped.id}-${requestedAt.getTime()}`, messageId: `<${skipped.id}@test>` },
      'the runner turned alert emails off',
    );
    const among = await alerts.awaitingEmailAmong([waiting.id, sent.id, skipped.id]);
    expect(among.map((request) => request.id).sort()).toEqual([waiting.id, skipped.id].sort());
    expect(among.find((request) => request.id === waiting.id)?.notifyRequestedAt).toEqual(requestedAt);
    const lost = await alerts.unansweredEmailRequests(at('2024-05-01T08:02:00Z'), 500);
    expect(lost.map((request) => request.id)).toContain(waiting.id);
    expect(lost.map((request) => request.id)).not.toContain(skipped.id);
    expect(lost.map((request) => request.id)).not.toContain(sent.id);
    expect(await alerts.unansweredEmailRequests(at('2024-05-01T07:00:00Z'), 500)).not.toContainEqual(
      expect.objectContaining({ id: waiting.id }),
    );
    expect(await alerts.countAwaitingEmail([userId])).toBe(1);
  });

  it('records the email that answered a request, never for another request', async () => {
    const { id: userId } = await addUser(db);
    const requestedAt = at('2024-05-01T08:00:00.123Z');
    const alert = await addAlert(db, userId, { notifyRequestedAt: requestedAt });
    await alerts.markNotified(alert.id, 'warning', requestedAt.getTime() + 1);
    expect((await alerts.byId(alert.id))?.notifiedAt).toBeNull();
    await db.transaction((tx) => alerts.markNotified(alert.id, 'high', requestedAt.getTime(), tx));
    const notified = await alerts.byId(alert.id);
    expect(notified?.notifiedSeverity).toBe('high');
    expect(notified!.notifiedAt!.getTime()).toBeGreaterThanOrEqual(requestedAt.getTime());
  });

  it('lists what emails carried, and the runner’s own alerts by id', async () => {
    const { id: userId } = await addUser(db);
    const other = await addUser(db);
    const carried = await addAlert(db, userId);
    const foreign = await addAlert(db, other.id);
    await addAlert(db, userId, { notifyAlso: [carried.id], notifiedAt: at('2024-05-01T08:00:00Z') });
    await addAlert(db, userId, { notifyAlso: [foreign.id] });
    expect(await alerts.carriedByEmails(userId)).toEqual([carried.id]);
    expect((await alerts.ofUser(userId, [carried.id, foreign.id])).map((alert) => alert.id)).toEqual([carried.id]);
  });

  it('deletes the alerts computed from Strava data', async () => {
    const { id: userId } = await addUser(db);
    await addAlert(db, userId, { usesStravaData: true });
    const kept = await addAlert(db, userId);
    expect(await db.transaction((tx) => alerts.deleteStravaDerived(userId, tx))).toBe(1);
    expect((await alerts.historyOf(userId, 10)).map((alert) => alert.id)).toEqual([kept.id]);
  });

  it('serialises evaluations of one runner', async () => {
    const { id: userId } = await addUser(db);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transaction(async (tx) => {
      await alerts.lockRunnerEvaluation(userId, tx);
      await held;
      order.push('first');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = db.transaction(async (tx) => {
      await alerts.lockRunnerEvaluation(userId, tx);
      order.push('second');
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('finds the alerts a run took part in: named in their facts, or their window holds its date', async () => {
    const { id: userId } = await addUser(db);
    const runId = '11111111-1111-4111-8111-111111111111';
    const spike = await addAlert(db, userId, { rule: 'single-run-spike', facts: { runId }, firstSeenAt: new Date('2024-05-02T08:00:00Z') });
    const cadence = await addAlert(db, userId, { rule: 'cadence-drop', facts: { runIds: ['x', runId] } });
    const pain = await addAlert(db, userId, { rule: 'pain-earlier', facts: { reports: [{ runId, date: '2024-05-01' }] } });
    const load = await addAlert(db, userId, { facts: { windowStart: '2024-04-25', windowEnd: '2024-05-01' } });
    await addAlert(db, userId, { facts: { windowStart: '2024-05-02', windowEnd: '2024-05-08' } });
    await addAlert(db, userId, { rule: 'single-run-spike', facts: { runId: '22222222-2222-4222-8222-222222222222' } });
    const found = await alerts.involvingRun(userId, runId, '2024-05-01');
    expect(found.map((alert) => alert.id).sort()).toEqual([spike.id, cadence.id, pain.id, load.id].sort());
    expect(found[0].id).toBe(spike.id);
    expect(await alerts.involvingRun((await addUser(db)).id, runId, '2024-05-01')).toEqual([]);
  });
});
