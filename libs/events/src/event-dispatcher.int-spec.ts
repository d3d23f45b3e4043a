import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JobQueue, QueueModule } from '@deload/queue';
import { freePort } from '../../../test/support/ports';
import { deleteRedisKeys, isolatedRedisPrefix } from '../../../test/support/redis-prefix';
import { waitFor } from '../../../test/support/wait';
import { DomainEvent } from './domain-event';
import { DomainEvents } from './domain-events';
import { EventDispatcher } from './event-dispatcher';
import { EventsModule } from './events.module';
import { integrationModule } from '../../../test/support/integration-module';

async function eventsApp(env: Record<string, string>): Promise<INestApplicationContext> {
  const app = await integrationModule([QueueModule, EventsModule], { env });
  await app.init();
  return app;
}

function connected(connectionId = randomUUID()): DomainEvent {
  return { type: 'strava-connected', userId: randomUUID(), connectionId, after: 1_700_000_000 };
}

async function outboxRows(db: DataSource, prefix: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM event_outbox WHERE queue_prefix = $1`, [prefix]);
  return row.n;
}

describe('domain events after commit', () => {
  const prefix = isolatedRedisPrefix('events');
  let app: INestApplicationContext;
  let db: DataSource;
  let jobs: JobQueue;

  beforeAll(async () => {
    app = await eventsApp({ REDIS_KEY_PREFIX: prefix });
    db = app.get(DataSource);
    jobs = app.get(JobQueue);
  });
  afterAll(async () => {
    await app.close();
    await deleteRedisKeys(prefix);
  });

  it('queues the follow-ups of a committed transaction before it returns, and forgets the events', async () => {
    const event = connected();
    await db.transaction((manager) => app.get(DomainEvents).record(manager, event));
    const job = await jobs.queue('strava-backfill').getJob(`strava-backfill-${(event as { connectionId: string }).connectionId}`);
    expect(job?.data).toMatchObject({ userId: event.userId, page: 1 });
    expect(await outboxRows(db, prefix)).toBe(0);
  });

  it('queues nothing for a transaction that rolled back', async () => {
    const event = connected();
    await expect(
      db.transaction(async (manager) => {
        await app.get(DomainEvents).record(manager, event);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(
      await jobs.queue('strava-backfill').getJob(`strava-backfill-${(event as { connectionId: string }).connectionId}`),
    ).toBeUndefined();
    expect(await outboxRows(db, prefix)).toBe(0);
  });

  it('refuses to record outside a transaction (the event would not commit with the data)', async () => {
    await expect(app.get(DomainEvents).record(db.manager, connected())).rejects.toThrow(/inside the transaction/);
  });

  it('queues an event dispatched twice only once', async () => {
    const event = connected();
    const record = () => db.transaction((manager) => app.get(DomainEvents).record(manager, event));
    await record();
    await record();
    const backfills = await jobs.queue('strava-backfill').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(backfills.filter((job) => job.data.connectionId === (event as { connectionId: string }).connectionId)).toHaveLength(1);
  });

  it('keeps the events while Redis is away, and another process queues them once it can', async () => {
    const cut = await eventsApp({ REDIS_KEY_PREFIX: prefix, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const event = connected();
    try {
      await cut.get(DataSource).transaction((manager) => cut.get(DomainEvents).record(manager, event));
      expect(await outboxRows(db, prefix)).toBe(1);
    } finally {
      await cut.close();
    }
    const jobId = `strava-backfill-${(event as { connectionId: string }).connectionId}`;
    await waitFor('the leftover event to be queued by the poller', () => jobs.queue('strava-backfill').getJob(jobId));
    await waitFor('the queued event to leave the outbox', async () => (await outboxRows(db, prefix)) === 0);
  });

  it('only dispatches events of its own deployment (Redis key prefix)', async () => {
    const otherPrefix = `${prefix}-other`;
    await db.query(
      `INSERT INTO event_outbox (queue_prefix, type, payload, created_at) VALUES ($1, 'pain-reported', $2, now() - interval '1 minute')`,
      [otherPrefix, JSON.stringify({ type: 'pain-reported', userId: randomUUID() })],
    );
    await app.get(EventDispatcher).dispatchLeftovers(0);
    expect(await outboxRows(db, otherPrefix)).toBe(1);
    await db.query(`DELETE FROM event_outbox WHERE queue_prefix = $1`, [otherPrefix]);
  });
});
