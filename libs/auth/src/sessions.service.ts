import { Injectable } from '@nestjs/common';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { AppConfig } from '@deload/config';
import { deriveKey } from '@deload/crypto';
import { SessionEntity, SessionsRepository, UserEntity, UsersRepository } from '@deload/persistence';

export const SESSION_COOKIE = 'deload_session';
const SESSION_DAYS = 30;
/** Refresh last_seen_at at most this often, not on every request. */
const TOUCH_EVERY_MS = 10 * 60_000;

export interface ActiveSession {
  session: SessionEntity;
  user: UserEntity;
  csrfToken: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class SessionsService {
  private readonly csrfKey: Buffer;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly config: AppConfig,
  ) {
    this.csrfKey = deriveKey(config.env.SECRET_KEY, 'csrf');
  }

  /** Starts a session; the returned token goes into the cookie and nowhere else. */
  async create(userId: string, userAgent?: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600_000);
    await this.sessions.create({
      tokenHash: hashToken(token),
      userId,
      userAgent: userAgent?.slice(0, 300) ?? null,
      expiresAt,
      lastSeenAt: new Date(),
    });
    return { token, expiresAt };
  }

  async resolve(token: string | undefined): Promise<ActiveSession | null> {
    if (!token) return null;
    const session = await this.sessions.unexpiredByTokenHash(hashToken(token), new Date());
    if (!session) return null;
    const user = await this.users.byId(session.userId);
    if (!user) return null;
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.sessions.touch(session.id, new Date());
    return { session, user, csrfToken: this.csrfTokenFor(session.id) };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (token) await this.sessions.deleteByTokenHash(hashToken(token));
  }

  /** Per-session CSRF token: an attacker's page can neither read nor compute it. */
  csrfTokenFor(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }

  cookieOptions(expiresAt: Date) {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.config.env.PUBLIC_URL.startsWith('https://'),
      path: '/',
      expires: expiresAt,
    };
  }
}
