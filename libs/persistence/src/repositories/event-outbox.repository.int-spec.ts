import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../../test/fixtures';
import { EventOutboxRepository } from './event-outbox.repository';

describe('EventOutboxRepository against PostgreSQL', () => {
  let db: DataSource;
  let outbox: EventOutboxRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    outbox = new EventOutboxRepository(db);
  });
  afterAll(() => db?.destroy());

  const event = (type = 'runs-changed') => ({ type, userId: randomUUID() });

  it('appends events in order and reads them back by id; a rollback leaves none', async () => {
    const prefix = `outbox-${randomUUID()}`;
    const events = [event(), event('pain-reported')];
    const ids = await db.transaction((tx) => outbox.append(prefix, events, tx));
    expect(ids).toHaveLength(2);
    const stored = await outbox.byIds(ids);
    expect(stored.map((row) => row.payload)).toEqual(expect.arrayContaining(events));
    expect(stored.every((row) => row.createdAt instanceof Date)).toBe(true);
    await outbox.delete(ids);
    expect(await outbox.byIds(ids)).toEqual([]);

    await expect(
      db.transaction(async (tx) => {
        await outbox.append(prefix, [event()], tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.transaction((tx) => outbox.lockLeftovers(prefix, ['runs-changed'], 0, 10, tx))).toEqual([]);
  });

  it('hands each leftover to one transaction: of this deployment, of the types asked for, old enough', async () => {
    const prefix = `outbox-${randomUUID()}`;
    const [wanted, otherType] = await db.transaction((tx) => outbox.append(prefix, [event(), event('other')], tx));
    await db.transaction((tx) => outbox.append(`${prefix}-elsewhere`, [event()], tx));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await db.transaction((tx) => outbox.lockLeftovers(prefix, ['runs-changed'], 60, 10, tx))).toEqual([]);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first: string[] = [];
    const holder = db.transaction(async (tx) => {
      first = (await outbox.lockLeftovers(prefix, ['runs-changed'], 1, 10, tx)).map((row) => row.id);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await db.transaction((tx) => outbox.lockLeftovers(prefix, ['runs-changed'], 1, 10, tx));
    release();
    await holder;
    expect(first).toEqual([wanted]);
    expect(second).toEqual([]);
    expect(otherType).not.toBe(wanted);
  });
});
