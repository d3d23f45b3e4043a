import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../../../../test/support/test-database';
import { ConsumedTokenEntity } from '../entities';
import { ConsumedTokensRepository } from './consumed-tokens.repository';

describe('ConsumedTokensRepository against PostgreSQL', () => {
  let db: DataSource;
  let tokens: ConsumedTokensRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    tokens = new ConsumedTokensRepository(db);
  });
  afterAll(() => db.destroy());

  const token = (expiresAt = new Date(Date.now() + 3600_000)) => ({ jti: randomUUID(), purpose: 'test', expiresAt });

  it('marks a token used once: the second use, also a racing one, is refused', async () => {
    const once = token();
    const racing = await Promise.all([tokens.markUsed(once), tokens.markUsed(once)]);
    expect(racing.sort()).toEqual([false, true]);
    expect(await tokens.markUsed(once)).toBe(false);
  });

  it("leaves the token unused when the caller's transaction rolls back", async () => {
    const rolledBack = token();
    await expect(
      db.transaction(async (tx) => {
        expect(await tokens.markUsed(rolledBack, tx)).toBe(true);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await tokens.markUsed(rolledBack)).toBe(true);
  });

  it('forgets tokens once they expired, not before', async () => {
    const expired = token(new Date(Date.now() - 1000));
    const current = token();
    await tokens.markUsed(expired);
    await tokens.markUsed(current);
    expect(await tokens.deleteExpired(new Date())).toBeGreaterThanOrEqual(1);
    const rows = db.getRepository(ConsumedTokenEntity);
    expect(await rows.existsBy({ jti: expired.jti })).toBe(false);
    expect(await rows.existsBy({ jti: current.jti })).toBe(true);
  });
});
