import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uniqueEmail } from '../../../../test/support/sessions';
import { openTestDatabase } from '../../../../test/support/test-database';
import { SessionEntity, UserEntity } from '../entities';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

const HOUR = 3600_000;

describe('SessionsRepository against PostgreSQL', () => {
  let db: DataSource;
  let sessions: SessionsRepository;
  let users: UsersRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    sessions = new SessionsRepository(db);
    users = new UsersRepository(db);
  });
  afterAll(() => db.destroy());

  async function startSession(user: UserEntity, expiresInMs = HOUR): Promise<SessionEntity> {
    const tokenHash = randomBytes(16).toString('hex');
    await sessions.create({
      tokenHash,
      userId: user.id,
      userAgent: 'jest',
      expiresAt: new Date(Date.now() + expiresInMs),
      lastSeenAt: new Date(),
    });
    return (await db.getRepository(SessionEntity).findOneBy({ tokenHash }))!;
  }

  it('finds a session by its token hash until it expires, and deletes it by the hash', async () => {
    const user = await users.findOrCreate(uniqueEmail());
    const session = await startSession(user);
    expect(await sessions.unexpiredByTokenHash(session.tokenHash, new Date())).toMatchObject({ id: session.id, userId: user.id });
    expect(await sessions.unexpiredByTokenHash(session.tokenHash, new Date(Date.now() + 2 * HOUR))).toBeNull();
    expect(await sessions.unexpiredByTokenHash('no-such-hash', new Date())).toBeNull();
    await sessions.deleteByTokenHash(session.tokenHash);
    expect(await sessions.unexpiredByTokenHash(session.tokenHash, new Date())).toBeNull();
  });

  it('records when a session was last seen', async () => {
    const session = await startSession(await users.findOrCreate(uniqueEmail()));
    const seenAt = new Date('2026-01-02T03:04:05Z');
    await sessions.touch(session.id, seenAt);
    expect((await sessions.unexpiredByTokenHash(session.tokenHash, new Date()))?.lastSeenAt).toEqual(seenAt);
  });

  it("ends a user's other sessions (all without one to keep), not other users'", async () => {
    const user = await users.findOrCreate(uniqueEmail());
    const other = await users.findOrCreate(uniqueEmail());
    const [kept, ended, othersSession] = [await startSession(user), await startSession(user), await startSession(other)];
    await db.transaction((tx) => sessions.endOthers(user.id, kept.id, tx));
    const left = async (session: SessionEntity) => !!(await sessions.unexpiredByTokenHash(session.tokenHash, new Date()));
    expect([await left(kept), await left(ended), await left(othersSession)]).toEqual([true, false, true]);
    await sessions.endOthers(user.id, undefined);
    expect(await left(kept)).toBe(false);
  });

  it('prunes expired sessions and counts them', async () => {
    const user = await users.findOrCreate(uniqueEmail());
    const expired = await startSession(user, -HOUR);
    const current = await startSession(user);
    expect(await sessions.deleteExpired(new Date())).toBeGreaterThanOrEqual(1);
    const repository = db.getRepository(SessionEntity);
    expect(await repository.existsBy({ id: expired.id })).toBe(false);
    expect(await repository.existsBy({ id: current.id })).toBe(true);
  });
});
