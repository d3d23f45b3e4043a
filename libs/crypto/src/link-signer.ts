import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export type SignedTokenFailure = 'malformed' | 'bad_signature' | 'wrong_purpose' | 'expired';

export class SignedTokenError extends Error {
  constructor(readonly reason: SignedTokenFailure) {
    super(
      {
        malformed: 'this link is damaged — copy the whole link from the email',
        bad_signature: 'this link is not valid',
        wrong_purpose: 'this link is not meant for this page',
        expired: 'this link has expired',
      }[reason],
    );
  }
}

export interface SignedClaims<T> {
  /** What the token is for, e.g. "magic-link", "pain-checkin", "unsubscribe". */
  purpose: string;
  /** Unique id, for single-use tokens. */
  jti: string;
  /** Expiry, seconds since epoch. */
  exp: number;
  data: T;
}

/**
 * Compact signed tokens for links in emails and OAuth state: `<payload>.<hmac>`, base64url.
 * Not encrypted — never put secrets in `data`.
 */
export class LinkSigner {
  constructor(private readonly key: Buffer) {}

  sign<T>(purpose: string, data: T, ttlSeconds: number, now = new Date()): string {
    const claims: SignedClaims<T> = { purpose, jti: randomUUID(), exp: Math.floor(now.getTime() / 1000) + ttlSeconds, data };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify<T>(purpose: string, token: string, now = new Date()): SignedClaims<T> {
    const [payload, mac, extra] = typeof token === 'string' ? token.split('.') : [];
    if (!payload || !mac || extra !== undefined) throw new SignedTokenError('malformed');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new SignedTokenError('bad_signature');
    const claims = parseClaims<T>(payload);
    if (claims.purpose !== purpose) throw new SignedTokenError('wrong_purpose');
    if (claims.exp * 1000 <= now.getTime()) throw new SignedTokenError('expired');
    return claims;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function parseClaims<T>(payload: string): SignedClaims<T> {
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims?.purpose === 'string' && typeof claims.jti === 'string' && typeof claims.exp === 'number') return claims;
  } catch {
    // fall through
  }
  throw new SignedTokenError('malformed');
}
