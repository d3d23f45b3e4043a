import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '@deload/config';
import { EventOutboxRepository } from '@deload/persistence';
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
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: EventOutboxRepository,
  ) {}

  async record(manager: EntityManager, ...events: DomainEvent[]): Promise<void> {
    if (!events.length) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('DomainEvents.record must run inside the transaction of the write it describes');
    const ids = await this.outbox.append(this.config.env.REDIS_KEY_PREFIX, events, manager);
    runner.data ??= {};
    runner.data[RECORDED] = [...((runner.data[RECORDED] as string[] | undefined) ?? []), ...ids];
  }
}
