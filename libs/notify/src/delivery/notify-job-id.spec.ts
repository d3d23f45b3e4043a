import { notifyJobId } from '@deload/queue';
import { alertDeliveryKey } from '../alerts/alert-notifier.service';

describe('the notify job of an alert email request', () => {
  it('has one id whether the event dispatcher or the email sweeper queues it (alert-<ledger key>)', () => {
    const requestedAt = new Date('2025-03-10T07:00:00.123Z');
    expect(notifyJobId('a1', requestedAt)).toBe(`alert-${alertDeliveryKey('a1', requestedAt)}`);
  });
});
