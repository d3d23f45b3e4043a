import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConsumedTokenEntity } from '../entities/consumed-token.entity';
import { TableRepository } from './table-repository';

/** Single-use links that were used: consumed_tokens, one row per token id (jti). */
@Injectable()
export class ConsumedTokensRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Records the token as used; false when it already was (also when two requests race). */
  async markUsed(token: Pick<ConsumedTokenEntity, 'jti' | 'purpose' | 'expiresAt'>, tx?: EntityManager): Promise<boolean> {
    const inserted = await this.db(tx)
      .createQueryBuilder()
      .insert()
      .into(ConsumedTokenEntity)
      .values(token)
      .orIgnore()
      .returning('jti')
      .execute();
    return inserted.raw.length > 0;
  }

  /** Forgets used tokens that expired before `now` (they are refused for their expiry anyway); returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const [, affected] = await this.db().query(`DELETE FROM consumed_tokens WHERE expires_at < $1`, [now]);
    return affected ?? 0;
  }
}
