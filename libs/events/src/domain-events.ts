import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '@deload/config';
import { DomainEvent } from './domain-event';

const RECORDED = 'deload:recorded-events';

/** Ids of the events recorded in this transaction (kept on its query runner until it ends). */
export function takeRecorded(runner: QueryRunner): string[] {
  const ids = (runner.data?.[RECORDED] as string[] | undefined) ?? [];
  if (runner.data) delete runner.data[RECORDED];
  return ids;
}

/**
 * Where a write declares what happened, inside its own transaction: the events are rows of
 * event_outbox, committed (or rolled back) with the data, and the EventDispatcher queues their
 * follow-up jobs once the transaction has committed. So no follow-up is lost to a crash or a Redis
 * outage between the commit and the enqueue, and no caller remembers an "after commit" step.
 */
@Injectable()
export class DomainEvents {
  constructor(private readonly config: AppConfig) {}

  async record(manager: EntityManager, ...events: DomainEvent[]): Promise<void> {
    if (!events.length) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('DomainEvents.record must run inside the transaction of the write it describes');
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO event_outbox (queue_prefix, type, payload)
       SELECT $1, event.type, event.payload FROM unnest($2::text[], $3::jsonb[]) AS event(type, payload)
       RETURNING id`,
      [this.config.env.REDIS_KEY_PREFIX, events.map((event) => event.type), events.map((event) => JSON.stringify(event))],
    );
    runner.data ??= {};
    runner.data[RECORDED] = [...((runner.data[RECORDED] as string[] | undefined) ?? []), ...rows.map((row) => String(row.id))];
  }
}
