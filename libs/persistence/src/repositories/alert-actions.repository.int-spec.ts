import { DataSource } from 'typeorm';
import { addAlert, addUser, openTestDatabase } from '../../test/fixtures';
import { AlertActionsRepository } from './alert-actions.repository';
import { AlertsRepository } from './alerts.repository';

describe('AlertActionsRepository against PostgreSQL', () => {
  let db: DataSource;
  let actions: AlertActionsRepository;
  let alerts: AlertsRepository;
  const at = (iso: string) => new Date(iso);

  beforeAll(async () => {
    db = await openTestDatabase();
    actions = new AlertActionsRepository(db);
    alerts = new AlertsRepository(db);
  });
  afterAll(() => db?.destroy());

  it('keeps who did what to which alert and when, oldest first, with the actor by name', async () => {
    const runner = await addUser(db, { displayName: 'Ada' });
    const coach = await addUser(db, { role: 'coach' });
    const alert = await addAlert(db, runner.id, { severity: 'caution' });
    const other = await addAlert(db, runner.id);
    await db.transaction(async (tx) => {
      await actions.record(
        { alertId: alert.id, actorId: runner.id, action: 'acknowledged', severity: 'caution', at: at('2024-05-02T08:00:00Z') },
        tx,
      );
      await actions.record(
        {
          alertId: alert.id,
          actorId: coach.id,
          action: 'dismissed',
          reason: 'planned-race',
          note: 'Race day',
          severity: 'caution',
          at: at('2024-05-03T08:00:00Z'),
        },
        tx,
      );
    });
    await actions.record({
      alertId: other.id,
      actorId: runner.id,
      action: 'acknowledged',
      severity: 'warning',
      at: at('2024-05-04T08:00:00Z'),
    });

    const found = await actions.ofAlerts([alert.id]);
    expect(found).toEqual([
      expect.objectContaining({
        alertId: alert.id,
        action: 'acknowledged',
        reason: null,
        note: null,
        actor: { id: runner.id, name: 'Ada' },
        at: at('2024-05-02T08:00:00Z'),
      }),
      expect.objectContaining({
        action: 'dismissed',
        reason: 'planned-race',
        note: 'Race day',
        severity: 'caution',
        actor: { id: coach.id, name: coach.email },
      }),
    ]);
    expect(await actions.ofAlerts([])).toEqual([]);
    expect((await actions.ofAlerts([alert.id, other.id])).map((row) => row.alertId)).toEqual([alert.id, alert.id, other.id]);
  });

  it('refuses a dismissal without a reason, and a reason on anything else', async () => {
    const runner = await addUser(db);
    const alert = await addAlert(db, runner.id);
    const base = { alertId: alert.id, actorId: runner.id, severity: 'warning' as const, at: new Date() };
    await expect(actions.record({ ...base, action: 'dismissed' })).rejects.toThrow(/check constraint/);
    await expect(actions.record({ ...base, action: 'acknowledged', reason: 'other' })).rejects.toThrow(/check constraint/);
  });

  it('shows a deleted actor as nobody, and goes with its alert', async () => {
    const runner = await addUser(db);
    const coach = await addUser(db, { role: 'coach' });
    const alert = await addAlert(db, runner.id);
    await actions.record({ alertId: alert.id, actorId: coach.id, action: 'acknowledged', severity: 'warning', at: new Date() });
    await db.query(`DELETE FROM users WHERE id = $1`, [coach.id]);
    expect((await actions.ofAlerts([alert.id]))[0].actor).toBeNull();
    await db.query(`DELETE FROM alerts WHERE id = $1`, [alert.id]);
    expect(await actions.ofAlerts([alert.id])).toEqual([]);
  });

  it('AlertsRepository: the response in force is set and cleared, and a resolved alert responded to lately is among what the lifecycle reads', async () => {
    const runner = await addUser(db);
    const resolved = await addAlert(db, runner.id, { state: 'resolved', resolvedAt: at('2024-05-02T08:00:00Z') });
    expect(await alerts.openOrCoveredSince(runner.id, at('2024-05-01T00:00:00Z'))).toEqual([]);
    await alerts.setResponse(resolved.id, { kind: 'dismissed', at: at('2024-05-03T08:00:00Z'), severity: 'warning' });
    expect(await alerts.byId(resolved.id)).toMatchObject({
      response: 'dismissed',
      responseAt: at('2024-05-03T08:00:00Z'),
      responseSeverity: 'warning',
    });
    expect((await alerts.openOrCoveredSince(runner.id, at('2024-05-01T00:00:00Z'))).map((alert) => alert.id)).toEqual([resolved.id]);
    expect(await alerts.openOrCoveredSince(runner.id, at('2024-05-04T00:00:00Z'))).toEqual([]);
    await alerts.setResponse(resolved.id, null);
    expect(await alerts.byId(resolved.id)).toMatchObject({ response: null, responseAt: null, responseSeverity: null });
  });

  it('AlertsRepository: open alerts carry their response for the team view', async () => {
    const runner = await addUser(db);
    const alert = await addAlert(db, runner.id);
    await alerts.setResponse(alert.id, { kind: 'acknowledged', at: new Date(), severity: 'warning' });
    expect(await alerts.openOf([runner.id])).toEqual([expect.objectContaining({ userId: runner.id, response: 'acknowledged' })]);
  });
});
