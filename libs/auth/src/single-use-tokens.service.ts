import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '@deload/domain';
import { LinkSigner, SignedClaims, SignedTokenError } from '@deload/crypto';
import { ConsumedTokenEntity } from '@deload/persistence';

/** Signed links that work once (magic sign-in links, one-click pain check-ins). */
@Injectable()
export class SingleUseTokens {
  constructor(
    private readonly signer: LinkSigner,
    @InjectRepository(ConsumedTokenEntity) private readonly consumed: Repository<ConsumedTokenEntity>,
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
    const inserted = await (manager ? manager.getRepository(ConsumedTokenEntity) : this.consumed)
      .createQueryBuilder()
      .insert()
      .values({ jti: claims.jti, purpose, expiresAt: new Date(claims.exp * 1000) })
      .orIgnore()
      .returning('jti')
      .execute();
    if (inserted.raw.length === 0) throw new DomainError('invalid', 'this link has already been used', { reason: 'used' });
    return claims;
  }
}
