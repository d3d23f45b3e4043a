import { Injectable, Logger } from '@nestjs/common';
import { AlertEntity, AlertsRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { alertContent, levelAllows } from '@deload/rules';
import { DeliveryOutcome, EmailLedger } from '../delivery/email-ledger.service';
import { EmailLinks } from '../links/email-links.service';
import { EmailRenderer } from '../render/email-renderer';
import { briefContent, withoutRepeatedAdvice } from './alert-content';

export type AlertNotifyOutcome = DeliveryOutcome | 'not-requested';

/** An alert is waiting for its email while its latest request is newer than its last email. */
export function awaitsEmail(
  alert: Pick<AlertEntity, 'notifyRequestedAt' | 'notifiedAt'>,
): alert is AlertEntity & { notifyRequestedAt: Date } {
  return !!alert.notifyRequestedAt && (!alert.notifiedAt || alert.notifiedAt < alert.notifyRequestedAt);
}

/** One email per request: the alert and the time the lifecycle asked for it. */
export function alertDeliveryKey(alertId: string, requestedAt: Date): string {
  return `${alertId}-${requestedAt.getTime()}`;
}

/**
 * Sends the email an alert leads, as the email policy decided it (libs/evaluation sets
 * notify_requested_at on the lead and lists the alerts it carries under "also this week" in
 * notify_also; the policy already applied episodes, the one-a-day limit and the runner's level).
 * The EmailLedger makes it exactly once; the send is recorded as alerts.notified_at in the same
 * transaction that marks the email sent.
 */
@Injectable()
export class AlertNotifier {
  private readonly logger = new Logger(AlertNotifier.name);

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly users: UsersRepository,
    private readonly ledger: EmailLedger,
    private readonly links: EmailLinks,
    private readonly renderer: EmailRenderer,
  ) {}

  async notify(alertId: string): Promise<AlertNotifyOutcome> {
    const alert = await this.alerts.byId(alertId);
    if (!alert || !awaitsEmail(alert)) return 'not-requested';
    const requestedAt = alert.notifyRequestedAt;
    const key = alertDeliveryKey(alert.id, requestedAt);
    const user = await this.users.byIdOrFail(alert.userId);
    if (alert.state !== 'open') return this.skip(alert, key, 'the alert resolved before its email went out');
    if (alert.response === 'dismissed') return this.skip(alert, key, 'the alert was dismissed before its email went out');
    // The runner may have changed the setting since the evaluation decided.
    if (user.alertEmails === 'none') return this.skip(alert, key, 'the runner turned alert emails off');
    if (!levelAllows(user.alertEmails, alert)) return this.skip(alert, key, 'the runner chose only the strongest warnings by email');
    const outcome = await this.ledger.deliver({
      kind: 'alert',
      dedupeKey: key,
      userId: user.id,
      email: this.compose(alert, user, await this.carried(alert)),
      // The request this email answers (ms, as its key), even if a newer one came in meanwhile.
      onSent: (manager) => this.alerts.markNotified(alert.id, alert.severity, requestedAt.getTime(), manager),
    });
    this.logger.log(`alert ${alert.id} (${alert.rule}, ${alert.severity}): ${outcome}`);
    return outcome;
  }

  /** The alerts the email carries under "also this week", in the policy's order. */
  private async carried(alert: AlertEntity): Promise<AlertEntity[]> {
    if (!alert.notifyAlso.length) return [];
    const found = await this.alerts.ofUser(alert.userId, alert.notifyAlso);
    return alert.notifyAlso.map((id) => found.find((other) => other.id === id)).filter((other) => other !== undefined);
  }

  compose(alert: AlertEntity, user: UserEntity, also: AlertEntity[] = []) {
    const content = alertContent(alert, user.units);
    const rendered = this.renderer.render('alert', {
      ...content,
      also: withoutRepeatedAdvice(
        also.map((other) => briefContent(other, user.units)),
        content.suggestions,
      ),
      severity: alert.severity,
      subject: content.subject,
      preheader: content.headline,
      links: this.links.footerLinks(user.id, 'alerts', '/me'),
      reason:
        'You get this email because Deload watches your training for warning signs of overuse injury. Fewer emails? In your email preferences you can choose only the strongest warnings, or the weekly summary only.',
    });
    return { to: user.email, subject: content.subject, ...rendered, headers: this.links.unsubscribeHeaders(user.id, 'alerts') };
  }

  private async skip(alert: AlertEntity, key: string, reason: string): Promise<AlertNotifyOutcome> {
    await this.ledger.skip('alert', key, alert.userId, reason);
    this.logger.log(`alert ${alert.id}: not emailed, ${reason}`);
    return 'skipped';
  }
}
