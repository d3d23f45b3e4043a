import { Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { LinkSigner, SignedTokenError } from '@deload/crypto';
import { ALERT_EMAIL_LEVELS, AlertEmailLevel, invalid, notFound } from '@deload/domain';
import { UserEntity, UsersRepository } from '@deload/persistence';

/** The emails a runner or coach can turn off, each backed by one column of users (alerts: users.alert_emails, a level). */
export const EMAIL_LISTS = ['alerts', 'weekly-summary', 'pain-checkin', 'coach-digest'] as const;
export type EmailList = (typeof EMAIL_LISTS)[number];

export const LIST_LABELS: Record<EmailList, string> = {
  alerts: 'alert emails (warning signs of overuse injury)',
  'weekly-summary': 'the weekly training summary',
  'pain-checkin': '"How did your run feel?" check-ins after runs',
  'coach-digest': 'the weekly team digest for coaches',
};

/** Links in emails outlive most inboxes' retention; a changed SECRET_KEY revokes them all. */
const LINK_TTL_S = 400 * 24 * 3600;
const UNSUBSCRIBE = 'unsubscribe';
const PREFERENCES = 'email-preferences';

/** The runner's choice of alert emails, as the settings and the preferences page word it. */
export const ALERT_LEVEL_LABELS: Record<AlertEmailLevel, string> = {
  all: 'As they happen (default)',
  strongest: 'Only the strongest warnings: pain coming on earlier, and anything marked high',
  none: 'None: show them in my weekly summary only',
};

export function isAlertEmailLevel(value: unknown): value is AlertEmailLevel {
  return typeof value === 'string' && (ALERT_EMAIL_LEVELS as readonly string[]).includes(value);
}

export type EmailPreferences = { alerts: AlertEmailLevel } & Record<Exclude<EmailList, 'alerts'>, boolean>;

export function preferencesOf(user: UserEntity): EmailPreferences {
  return {
    alerts: user.alertEmails,
    'weekly-summary': user.emailWeeklySummary,
    'pain-checkin': user.painCheckin !== 'off',
    'coach-digest': user.emailCoachDigest,
  };
}

/**
 * Signed links for the footer of every email: one-click unsubscribe from one list (RFC 8058:
 * `List-Unsubscribe` + `List-Unsubscribe-Post`) and a preferences page that works without
 * signing in. Both only ever change the email settings of the user they were made for.
 */
@Injectable()
export class EmailLinks {
  constructor(
    private readonly signer: LinkSigner,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {}

  unsubscribeUrl(userId: string, list: EmailList): string {
    return this.config.publicUrl(`/email/unsubscribe?t=${this.signer.sign(UNSUBSCRIBE, { userId, list }, LINK_TTL_S)}`);
  }

  preferencesUrl(userId: string): string {
    return this.config.publicUrl(`/email/preferences?t=${this.signer.sign(PREFERENCES, { userId }, LINK_TTL_S)}`);
  }

  /** The links in an email's footer: the page it is about (`pagePath`), the preferences page, and unsubscribe from `list`. */
  footerLinks(userId: string, list: EmailList, pagePath: string): { page: string; preferences: string; unsubscribe: string } {
    return {
      page: this.config.publicUrl(pagePath),
      preferences: this.preferencesUrl(userId),
      unsubscribe: this.unsubscribeUrl(userId, list),
    };
  }

  /** Headers that let mail clients offer their own one-click unsubscribe button. */
  unsubscribeHeaders(userId: string, list: EmailList): Record<string, string> {
    return { 'List-Unsubscribe': `<${this.unsubscribeUrl(userId, list)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }

  readUnsubscribe(token: string): { userId: string; list: EmailList } {
    const data = this.verify<{ userId: string; list: EmailList }>(UNSUBSCRIBE, token);
    if (!EMAIL_LISTS.includes(data.list)) throw invalid('this link is not valid');
    return data;
  }

  readPreferences(token: string): { userId: string } {
    return this.verify<{ userId: string }>(PREFERENCES, token);
  }

  async userFor(userId: string): Promise<UserEntity> {
    const user = await this.users.byId(userId);
    if (!user) throw notFound('this account no longer exists');
    return user;
  }

  async unsubscribe(token: string): Promise<{ user: UserEntity; list: EmailList }> {
    const { userId, list } = this.readUnsubscribe(token);
    const user = await this.userFor(userId);
    return {
      user: await this.save(user, { ...preferencesOf(user), ...(list === 'alerts' ? { alerts: 'none' } : { [list]: false }) }),
      list,
    };
  }

  async savePreferences(token: string, preferences: EmailPreferences): Promise<UserEntity> {
    const user = await this.userFor(this.readPreferences(token).userId);
    return this.save(user, preferences);
  }

  private async save(user: UserEntity, preferences: EmailPreferences): Promise<UserEntity> {
    const changes: Pick<UserEntity, 'alertEmails' | 'emailWeeklySummary' | 'emailCoachDigest' | 'painCheckin'> = {
      alertEmails: preferences.alerts,
      emailWeeklySummary: preferences['weekly-summary'],
      emailCoachDigest: preferences['coach-digest'],
      // Turning check-ins back on from this page means "ask me", not "decide for me".
      painCheckin: preferences['pain-checkin'] ? (user.painCheckin === 'off' ? 'on' : user.painCheckin) : 'off',
    };
    await this.users.update(user.id, changes);
    return Object.assign(user, changes);
  }

  private verify<T>(purpose: string, token: string): T {
    try {
      return this.signer.verify<T>(purpose, token).data;
    } catch (error) {
      if (error instanceof SignedTokenError) throw invalid(error.message, { reason: error.reason });
      throw error;
    }
  }
}
