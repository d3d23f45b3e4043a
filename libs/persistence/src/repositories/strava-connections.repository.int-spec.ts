import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uniqueEmail } from '../../../../test/support/sessions';
import { openTestDatabase } from '../../../../test/support/test-database';
import { StravaConnectionsRepository } from './strava-connections.repository';
import { UsersRepository } from './users.repository';

const tokens = (label: string) => ({
  accessTokenEnc: `access-${label}`,
  refreshTokenEnc: `refresh-${label}`,
  expiresAt: new Date('2030-01-01T00:00:00Z'),
});

describe('StravaConnectionsRepository against PostgreSQL', () => {
  let db: DataSource;
  let connections: StravaConnectionsRepository;
  let users: UsersRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    connections = new StravaConnectionsRepository(db);
    users = new UsersRepository(db);
  });
  afterAll(() => db.destroy());

  const athleteId = () => String(randomInt(1, 2 ** 47));
  const user = async () => (await users.findOrCreate(uniqueEmail())).id;
  async function connect(userId: string, athlete = athleteId()): Promise<string> {
    return (await connections.saveGrant({ userId, athleteId: athlete, scopes: ['activity:read_all'], ...tokens('first') }))!.id;
  }

  it('stores a grant as a new connection, refreshes its tokens on reconnect, and refuses an athlete another user has', async () => {
    const [owner, other] = [await user(), await user()];
    const athlete = athleteId();
    const created = await connections.saveGrant({ userId: owner, athleteId: athlete, scopes: ['read'], ...tokens('first') });
    expect(created).toEqual({ id: expect.any(String), inserted: true });
    const again = await db.transaction((tx) =>
      connections.saveGrant({ userId: owner, athleteId: athlete, scopes: ['read', 'activity:read_all'], ...tokens('second') }, tx),
    );
    expect(again).toEqual({ id: created!.id, inserted: false });
    expect(await connections.saveGrant({ userId: other, athleteId: athlete, scopes: [], ...tokens('stolen') })).toBeNull();
    const stored = await connections.byIdOrFail(created!.id);
    expect(stored).toMatchObject({
      userId: owner,
      athleteId: Number(athlete),
      scopes: ['read', 'activity:read_all'],
      accessTokenEnc: 'access-second',
    });
    expect((await connections.byAthlete(Number(athlete)))?.id).toBe(created!.id);
    expect((await connections.byUser(owner))?.id).toBe(created!.id);
    expect(await connections.byUser(other)).toBeNull();
    expect(await connections.all()).toContainEqual({ id: created!.id, userId: owner });
  });

  it('saves refreshed tokens under the row lock, and marks the history imported', async () => {
    const owner = await user();
    const id = await connect(owner);
    await db.transaction(async (tx) => {
      const locked = await connections.lockById(id, tx);
      expect(locked?.refreshTokenEnc).toBe('refresh-first');
      await expect(db.query(`SELECT 1 FROM strava_connections WHERE id = $1 FOR UPDATE NOWAIT`, [id])).rejects.toMatchObject({
        code: '55P03',
      });
      await connections.saveTokens(id, tokens('refreshed'), tx);
    });
    expect(await connections.byUser(owner)).toMatchObject({
      accessTokenEnc: 'access-refreshed',
      refreshTokenEnc: 'refresh-refreshed',
      backfilledAt: null,
    });
    expect(await db.transaction((tx) => connections.lockById('00000000-0000-0000-0000-000000000000', tx))).toBeNull();

    expect(await connections.backfilledUserIds()).not.toContain(owner);
    await connections.markBackfilled(id);
    expect((await connections.byUser(owner))?.backfilledAt).toBeInstanceOf(Date);
    const backfilled = await connections.backfilledUserIds();
    expect(backfilled).toContain(owner);
    expect(backfilled).toEqual([...backfilled].sort());
  });

  it('tells who is connected, and removes a connection once', async () => {
    const [connected, notConnected] = [await user(), await user()];
    const id = await connect(connected);
    expect(await connections.isConnected(connected)).toBe(true);
    expect(await connections.isConnected(notConnected)).toBe(false);
    expect(await connections.connectedAmong([connected, notConnected])).toEqual([connected]);
    expect(await db.transaction((tx) => connections.removeOfUser(connected, tx))).toEqual({ id });
    expect(await connections.removeOfUser(connected)).toBeNull();
    expect(await connections.isConnected(connected)).toBe(false);
  });

  it('moves a connection, locked, to another user with its tokens sealed again', async () => {
    const [source, target] = [await user(), await user()];
    const id = await connect(source);
    await db.transaction(async (tx) => {
      const locked = await connections.lockOfUser(source, tx);
      expect(locked).toEqual({ id, accessTokenEnc: 'access-first', refreshTokenEnc: 'refresh-first', backfilledAt: null });
      await connections.moveToUser(id, target, { accessTokenEnc: 'access-target', refreshTokenEnc: 'refresh-target' }, tx);
      expect(await connections.lockOfUser(source, tx)).toBeUndefined();
    });
    expect(await connections.byUser(target)).toMatchObject({ id, accessTokenEnc: 'access-target', refreshTokenEnc: 'refresh-target' });
  });
});
