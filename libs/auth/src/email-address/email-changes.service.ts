import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@deload/config';
import { DomainError, forbidden, invalid, isPlaceholderEmail } from '@deload/domain';
import { CREDENTIAL_HEADER, Mailer, SentEmail } from '@deload/mail';
import { SessionsRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { SingleUseTokens } from '../single-use-tokens.service';
import { RateLimit, RateLimiter } from '../sign-in/rate-limiter';
import { normaliseEmail } from '@deload/users';
import { addressChangedEmail, confirmAddressEmail } from './email-address-emails';

const PURPOSE = 'email-change';
export const EMAIL_CHANGE_TTL_S = 24 * 3600;
/** Per account: a typo or two and a resend. */
export const CHANGES_PER_USER: RateLimit = { bucket: 'email-change-user', limit: 5, windowS: 3600 };
/** Per address asked for: nobody floods someone's inbox with confirmations. */
export const CHANGES_PER_ADDRESS: RateLimit = { bucket: 'email-change-address', limit: 3, windowS: 3600 };

const ADDRESS_MOVED = 'your address has changed since this link was sent: ask for a new one in your settings';
const addressTaken = (address: string) => new DomainError('conflict', `${address} belongs to another Deload account`);

export interface EmailChangeClaim {
  userId: string;
  /** The account's address when the change was asked for: a link for an older address is refused. */
  from: string;
  to: string;
}

export interface EmailChangeRequested {
  to: string;
  transport: SentEmail['transport'];
  outboxPath?: string;
}

/** What confirming the link would do: change the address, or — it belongs to another account — offer to merge. */
export type EmailChangeCheck = { claim: EmailChangeClaim; takenBy?: UserEntity };

/**
 * A runner's email address: set it (accounts made by "Sign in with Strava" have none) or change it.
 * The new address is confirmed by a link sent to it — the only email an unconfirmed address ever
 * gets — opened by the same account that asked; the old address is told once it is done, and the
 * account's other sessions end.
 */
@Injectable()
export class EmailChanges {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: SingleUseTokens,
    private readonly mailer: Mailer,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async request(user: UserEntity, rawEmail: unknown): Promise<EmailChangeRequested> {
    const to = normaliseEmail(String(rawEmail ?? ''));
    if (isPlaceholderEmail(to)) throw invalid(`"${to}" cannot receive email: give an address you read`);
    if (to === user.email) throw invalid(`${to} is already your address`);
    await this.limiter.hit(CHANGES_PER_USER, user.id);
    await this.limiter.hit(CHANGES_PER_ADDRESS, to);
    const token = this.tokens.issue<EmailChangeClaim>(PURPOSE, { userId: user.id, from: user.email, to }, EMAIL_CHANGE_TTL_S);
    const sent = await this.mailer.send({
      to,
      ...confirmAddressEmail(this.confirmUrl(token), EMAIL_CHANGE_TTL_S / 3600),
      headers: { [CREDENTIAL_HEADER]: 'email-confirmation' },
    });
    return { to, transport: sent.transport, outboxPath: sent.path };
  }

  confirmUrl(token: string): string {
    return this.config.publicUrl(`/email/confirm?t=${encodeURIComponent(token)}`);
  }

  /**
   * Checks a link without using it: it must be opened by the account that asked, whose address
   * has not changed since. Says whether another account already has the address.
   */
  async check(token: string, signedIn: UserEntity): Promise<EmailChangeCheck> {
    const { data: claim } = this.tokens.peek<EmailChangeClaim>(PURPOSE, token);
    if (claim.userId !== signedIn.id) {
      throw forbidden('this link belongs to another Deload account: sign in as the account that asked for it, then open the link again');
    }
    if (claim.from !== signedIn.email) throw invalid(ADDRESS_MOVED);
    const takenBy = await this.users.byEmail(claim.to);
    return { claim, ...(takenBy && takenBy.id !== signedIn.id ? { takenBy } : {}) };
  }

  /** Uses up a link whose address another account has (the caller offers a merge instead). */
  async consume(token: string): Promise<EmailChangeClaim> {
    return (await this.tokens.consume<EmailChangeClaim>(PURPOSE, token)).data;
  }

  /**
   * Uses the link: the account takes the address and its other sessions end (keepSessionId stays).
   * The old address — a real one — is told before the change commits: if the mail cannot go out
   * (MailTransportError), nothing changed and the link still works.
   */
  async apply(token: string, signedIn: UserEntity, keepSessionId?: string): Promise<UserEntity> {
    const { claim, takenBy } = await this.check(token, signedIn);
    if (takenBy) throw addressTaken(claim.to);
    await this.dataSource.transaction(async (manager) => {
      await this.tokens.consume(PURPOSE, token, manager);
      const outcome = await this.users.changeEmail(claim.userId, claim.from, claim.to, manager);
      if (outcome === 'taken') throw addressTaken(claim.to);
      if (outcome === 'address-moved') throw invalid(ADDRESS_MOVED);
      await this.sessions.endOthers(claim.userId, keepSessionId, manager);
      if (!isPlaceholderEmail(claim.from)) {
        await this.mailer.send({ to: claim.from, ...addressChangedEmail(claim.to, this.config.publicUrl('/settings')) });
      }
    });
    signedIn.email = claim.to;
    return signedIn;
  }
}
