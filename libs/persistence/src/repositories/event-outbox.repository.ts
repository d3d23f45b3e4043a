import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TableRepository } from './table-repository';

/** An event waiting in the outbox. */
export interface OutboxEvent {
  id: string;
  payload: Record<string, unknown> & { type: string };
  createdAt: Date;
}

/** event_outbox: domain events recorded with the writes they describe, until their follow-up jobs are queued. */
@Injectable()
export class EventOutboxRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Appends events of this deployment (`queuePrefix`) inside the caller's transaction; returns their ids in order. */
  async append(queuePrefix: string, events: readonly { type: string }[], tx: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO event_outbox (queue_prefix, type, payload)
       SELECT $1, event.type, event.payload FROM unnest($2::text[], $3::jsonb[]) AS event(type, payload)
       RETURNING id`,
      [queuePrefix, events.map((event) => event.type), events.map((event) => JSON.stringify(event))],
    );
    return rows.map((row) => String(row.id));
  }

  /**
   * Locks up to `limit` events of this deployment of these types older than `olderThanS` seconds,
   * oldest first, skipping those another transaction holds. Inside the caller's transaction.
   */
  async lockLeftovers(
    queuePrefix: string,
    types: readonly string[],
    olderThanS: number,
    limit: number,
    tx: EntityManager,
  ): Promise<OutboxEvent[]> {
    const rows: OutboxRow[] = await tx.query(
      `SELECT id, payload, created_at FROM event_outbox
        WHERE queue_prefix = $1 AND type = ANY($2) AND created_at < now() - make_interval(secs => $3)
        ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED`,
      [queuePrefix, types, olderThanS, limit],
    );
    return rows.map(toEvent);
  }

  async byIds(ids: readonly string[], tx?: EntityManager): Promise<OutboxEvent[]> {
    const rows: OutboxRow[] = await this.db(tx).query(`SELECT id, payload, created_at FROM event_outbox WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
    return rows.map(toEvent);
  }

  async delete(ids: readonly string[], tx?: EntityManager): Promise<void> {
    await this.db(tx).query(`DELETE FROM event_outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }
}

interface OutboxRow {
  id: string;
  payload: OutboxEvent['payload'];
  created_at: Date;
}

function toEvent(row: OutboxRow): OutboxEvent {
  return { id: String(row.id), payload: row.payload, createdAt: new Date(row.created_at) };
}
