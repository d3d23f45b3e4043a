import { deriveKey } from './keys';
import { DecryptionError, TokenCipher } from './token-cipher';

const cipher = new TokenCipher(deriveKey('a'.repeat(40), 'token-encryption'));

describe('TokenCipher', () => {
  it('round-trips and never shows the plaintext', () => {
    const sealed = cipher.encrypt('strava-refresh-token-123', 'user-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('strava-refresh-token-123');
    expect(cipher.decrypt(sealed, 'user-1')).toBe('strava-refresh-token-123');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses a tampered ciphertext, another row, and another key', () => {
    const sealed = cipher.encrypt('secret', 'user-1');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'user-1')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(sealed, 'user-2')).toThrow(DecryptionError);
    expect(() => new TokenCipher(deriveKey('b'.repeat(40), 'token-encryption')).decrypt(sealed, 'user-1')).toThrow(DecryptionError);
    expect(() => cipher.decrypt('plain-text-token')).toThrow('not a Deload ciphertext');
  });

  it('derives different keys for different purposes', () => {
    expect(deriveKey('x'.repeat(40), 'token-encryption').equals(deriveKey('x'.repeat(40), 'link-signing'))).toBe(false);
  });
});
