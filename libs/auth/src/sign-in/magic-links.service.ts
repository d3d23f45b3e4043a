import { Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { CREDENTIAL_HEADER, Mailer, SentEmail } from '@deload/mail';
import { UserEntity } from '@deload/persistence';
import { SessionsService } from '../sessions.service';
import { SingleUseTokens } from '../single-use-tokens.service';
import { normaliseEmail, UsersService } from '@deload/users';
import { localPath } from './local-path';
import { magicLinkEmail } from './magic-link-email';
import { RateLimit, RateLimiter } from './rate-limiter';

const PURPOSE = 'magic-link';
export const MAGIC_LINK_TTL_S = 15 * 60;
/** Per address: enough for a typo and a resend, too few to flood someone's inbox. */
export const LINKS_PER_ADDRESS: RateLimit = { bucket: 'sign-in-email', limit: 5, windowS: 15 * 60 };
/** Per client: stops one machine spraying links at many addresses. */
export const LINKS_PER_CLIENT: RateLimit = { bucket: 'sign-in-client', limit: 30, windowS: 15 * 60 };

interface MagicLinkData {
  email: string;
  next: string;
}

export interface MagicLinkSent {
  email: string;
  transport: SentEmail['transport'];
  /** The .eml file when mail goes to the outbox (development without SMTP). */
  outboxPath?: string;
}

export interface SignedInBySession {
  user: UserEntity;
  sessionToken: string;
  expiresAt: Date;
  next: string;
}

/**
 * Passwordless sign-in: a signed, expiring, single-use link by email. Asking for a link looks the
 * same whether or not the address has an account (the account is made when the link is used).
 */
@Injectable()
export class MagicLinks {
  constructor(
    private readonly tokens: SingleUseTokens,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly mailer: Mailer,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async request(rawEmail: string, next: unknown, client?: string): Promise<MagicLinkSent> {
    const email = normaliseEmail(rawEmail);
    if (client) await this.limiter.hit(LINKS_PER_CLIENT, client);
    await this.limiter.hit(LINKS_PER_ADDRESS, email);
    const link = this.linkFor(email, next);
    const sent = await this.mailer.send({
      to: email,
      ...magicLinkEmail(link, MAGIC_LINK_TTL_S),
      headers: { [CREDENTIAL_HEADER]: 'sign-in' },
    });
    return { email, transport: sent.transport, outboxPath: sent.path };
  }

  /**
   * A sign-in link for an address, without sending it (`deload demo` prints one). Whoever holds it
   * can sign in as that address once, until it expires.
   */
  linkFor(rawEmail: string, next: unknown = '/', ttlSeconds = MAGIC_LINK_TTL_S): string {
    const token = this.tokens.issue<MagicLinkData>(PURPOSE, { email: normaliseEmail(rawEmail), next: localPath(next) }, ttlSeconds);
    return this.config.publicUrl(`/login/verify?token=${encodeURIComponent(token)}`);
  }

  /** Who the link is for, without using it up (for the confirmation page). */
  peek(token: string): MagicLinkData {
    return this.tokens.peek<MagicLinkData>(PURPOSE, token).data;
  }

  /** Uses the link: finds or creates the account and starts a session. */
  async signIn(token: string, userAgent?: string): Promise<SignedInBySession> {
    const { data } = await this.tokens.consume<MagicLinkData>(PURPOSE, token);
    const user = await this.users.findOrCreate(data.email);
    const session = await this.sessions.create(user.id, userAgent);
    return { user, sessionToken: session.token, expiresAt: session.expiresAt, next: localPath(data.next) };
  }
}
