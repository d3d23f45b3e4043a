import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '@deload/domain';
import { LinkSigner, SignedClaims, SignedTokenError } from '@deload/crypto';
import { ConsumedTokensRepository } from '@deload/persistence';

/** Signed links that work once (magic sign-in links, one-click pain check-ins). */
@Injectable()
export class SingleUseTokens {
  constructor(
    private readonly signer: LinkSigner,
    private readonly consumed: ConsumedTokensRepository,
  ) {}

  issue<T>(purpose: string, data: T, ttlSeconds: number): string {
    return this.signer.sign(purpose, data, ttlSeconds);
  }

  /** Verifies without using it up (to show a confirmation page before the click that counts). */
  peek<T>(purpose: string, token: string): SignedClaims<T> {
    try {
      return this.signer.verify<T>(purpose, token);
    } catch (error) {
      if (error instanceof SignedTokenError) throw new DomainError('invalid', error.message, { reason: error.reason });
      throw error;
    }
  }

  /**
   * Verifies and marks the token used; a second use is refused, also when two requests race.
   * Inside the caller's transaction (`manager`), the link stays unused if that transaction fails.
   */
  async consume<T>(purpose: string, token: string, manager?: EntityManager): Promise<SignedClaims<T>> {
    const claims = this.peek<T>(purpose, token);
    const firstUse = await this.consumed.markUsed({ jti: claims.jti, purpose, expiresAt: new Date(claims.exp * 1000) }, manager);
    if (!firstUse) throw new DomainError('invalid', 'this link has already been used', { reason: 'used' });
    return claims;
  }
}
