import { deriveKey } from './keys';
import { LinkSigner, SignedTokenError } from './link-signer';

const signer = new LinkSigner(deriveKey('k'.repeat(40), 'link-signing'));
const now = new Date('2026-03-01T10:00:00Z');

function failure(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SignedTokenError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('LinkSigner', () => {
  it('verifies its own token and returns the data', () => {
    const token = signer.sign('pain-checkin', { runId: 'r1' }, 3600, now);
    const claims = signer.verify<{ runId: string }>('pain-checkin', token, now);
    expect(claims.data).toEqual({ runId: 'r1' });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('rejects expiry, another purpose, a changed payload and garbage', () => {
    const token = signer.sign('magic-link', { userId: 'u1' }, 60, now);
    expect(failure(() => signer.verify('magic-link', token, new Date(now.getTime() + 60_000)))).toBe('expired');
    expect(failure(() => signer.verify('unsubscribe', token, now))).toBe('wrong_purpose');
    const forged = Buffer.from(JSON.stringify({ purpose: 'magic-link', jti: 'x', exp: 9e9, data: { userId: 'admin' } })).toString(
      'base64url',
    );
    expect(failure(() => signer.verify('magic-link', `${forged}.${token.split('.')[1]}`, now))).toBe('bad_signature');
    expect(failure(() => signer.verify('magic-link', 'garbage', now))).toBe('malformed');
    expect(failure(() => signer.verify('magic-link', `${token}.x`, now))).toBe('malformed');
  });

  it('rejects a token signed with another key', () => {
    const other = new LinkSigner(deriveKey('z'.repeat(40), 'link-signing'));
    expect(failure(() => signer.verify('magic-link', other.sign('magic-link', {}, 60, now), now))).toBe('bad_signature');
  });
});
