import { AlertEntity, AlertsRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { stubRepository } from '../../../../test/support/stub-repository';
import { EmailLedger } from '../delivery/email-ledger.service';
import type { EmailLinks } from '../links/email-links.service';
import type { EmailRenderer } from '../render/email-renderer';
import { alertDeliveryKey, AlertNotifier } from './alert-notifier.service';

const REQUESTED_AT = new Date('2025-03-10T06:00:00Z');

function alert(fields: Partial<AlertEntity> = {}): AlertEntity {
  return {
    id: 'a1',
    userId: 'u1',
    rule: 'weekly-increase',
    severity: 'warning',
    state: 'open',
    notifyRequestedAt: REQUESTED_AT,
    notifiedAt: null,
    notifyAlso: [],
    ...fields,
  } as AlertEntity;
}

function user(fields: Partial<UserEntity> = {}): UserEntity {
  return { id: 'u1', email: 'runner@example.test', alertEmails: 'all', units: 'km', ...fields } as UserEntity;
}

describe('AlertNotifier decides whether an alert is emailed', () => {
  let alerts: jest.Mocked<AlertsRepository>;
  let users: jest.Mocked<UsersRepository>;
  let ledger: jest.Mocked<EmailLedger>;
  let notifier: AlertNotifier;
  const email = { to: 'runner@example.test', subject: 's', html: '', text: '', headers: {} };

  beforeEach(() => {
    alerts = stubRepository(AlertsRepository);
    users = stubRepository(UsersRepository);
    users.byIdOrFail.mockResolvedValue(user());
    ledger = stubRepository(EmailLedger);
    ledger.deliver.mockResolvedValue('sent');
    notifier = new AlertNotifier(alerts, users, ledger, {} as EmailLinks, {} as EmailRenderer);
    jest.spyOn(notifier, 'compose').mockReturnValue(email);
  });

  const skippedBecause = (reason: string) =>
    expect(ledger.skip).toHaveBeenCalledWith('alert', alertDeliveryKey('a1', REQUESTED_AT), 'u1', reason);

  it('sends nothing for an alert that is gone or whose request was answered', async () => {
    alerts.byId.mockResolvedValueOnce(null);
    expect(await notifier.notify('a1')).toBe('not-requested');
    alerts.byId.mockResolvedValueOnce(alert({ notifiedAt: new Date(REQUESTED_AT.getTime() + 1000) }));
    expect(await notifier.notify('a1')).toBe('not-requested');
    alerts.byId.mockResolvedValueOnce(alert({ notifyRequestedAt: null }));
    expect(await notifier.notify('a1')).toBe('not-requested');
    expect(ledger.skip).not.toHaveBeenCalled();
    expect(ledger.deliver).not.toHaveBeenCalled();
  });

  it('records a skip when the alert resolved before its email', async () => {
    alerts.byId.mockResolvedValue(alert({ state: 'resolved' }));
    expect(await notifier.notify('a1')).toBe('skipped');
    skippedBecause('the alert resolved before its email went out');
    expect(ledger.deliver).not.toHaveBeenCalled();
  });

  it('records a skip when the alert was dismissed before its email', async () => {
    alerts.byId.mockResolvedValue(alert({ response: 'dismissed' }));
    expect(await notifier.notify('a1')).toBe('skipped');
    skippedBecause('the alert was dismissed before its email went out');
    expect(ledger.deliver).not.toHaveBeenCalled();
  });

  it('records a skip when the runner turned alert emails off, or wants only the strongest warnings', async () => {
    alerts.byId.mockResolvedValue(alert());
    users.byIdOrFail.mockResolvedValueOnce(user({ alertEmails: 'none' }));
    expect(await notifier.notify('a1')).toBe('skipped');
    skippedBecause('the runner turned alert emails off');
    users.byIdOrFail.mockResolvedValueOnce(user({ alertEmails: 'strongest' }));
    expect(await notifier.notify('a1')).toBe('skipped');
    skippedBecause('the runner chose only the strongest warnings by email');
    expect(ledger.deliver).not.toHaveBeenCalled();
  });

  it('delivers a strongest warning under "strongest", with the alerts it carries in the policy’s order', async () => {
    alerts.byId.mockResolvedValue(alert({ severity: 'high', notifyAlso: ['a3', 'a2'] }));
    users.byIdOrFail.mockResolvedValue(user({ alertEmails: 'strongest' }));
    const [a2, a3] = [alert({ id: 'a2' }), alert({ id: 'a3' })];
    alerts.ofUser.mockResolvedValue([a2, a3]);
    expect(await notifier.notify('a1')).toBe('sent');
    expect(alerts.ofUser).toHaveBeenCalledWith('u1', ['a3', 'a2']);
    expect(notifier.compose).toHaveBeenCalledWith(expect.objectContaining({ id: 'a1' }), expect.objectContaining({ id: 'u1' }), [a3, a2]);
    const delivery = ledger.deliver.mock.calls[0][0];
    expect(delivery).toMatchObject({ kind: 'alert', dedupeKey: alertDeliveryKey('a1', REQUESTED_AT), userId: 'u1', email });
    // The send is recorded as the answer to this request, in the ledger's transaction.
    const tx = {} as never;
    await delivery.onSent!(tx);
    expect(alerts.markNotified).toHaveBeenCalledWith('a1', 'high', REQUESTED_AT.getTime(), tx);
    expect(ledger.skip).not.toHaveBeenCalled();
  });
});
