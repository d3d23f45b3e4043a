export { CryptoModule } from './crypto.module';
export { deriveKey, type KeyPurpose } from './keys';
export { LinkSigner, SignedTokenError, type SignedClaims, type SignedTokenFailure } from './link-signer';
export { DecryptionError, TokenCipher } from './token-cipher';
