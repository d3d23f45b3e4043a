import { hkdfSync } from 'node:crypto';

/** Purpose-bound keys derived from SECRET_KEY: one secret, never the same key for two jobs. */
export type KeyPurpose = 'token-encryption' | 'link-signing' | 'csrf' | 'oauth-state';

export function deriveKey(secretKey: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'deload', purpose, 32));
}
