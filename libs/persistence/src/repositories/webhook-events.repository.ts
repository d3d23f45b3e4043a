import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebhookEventStatus } from '../entities/webhook-event.entity';
import { TableRepository } from './table-repository';

/** An inbox row as the intake needs it: which event (dedupe key) it holds and where it stands. */
export interface InboxEntry {
  id: string;
  dedupeKey: string;
  status: WebhookEventStatus;
}

/** An event to store: its deterministic key (retries of one event share it) and what was received. */
export interface IncomingEvent {
  dedupeKey: string;
  payload: object;
}

/**
 * The webhook inbox (webhook_events): every event received, stored before it is queued, so nothing
 * pushed is lost; one row per provider and dedupe key.
 */
@Injectable()
export class WebhookEventsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Stores the events not stored before (one statement); returns the rows it inserted. */
  insertNew(provider: string, events: readonly IncomingEvent[]): Promise<InboxEntry[]> {
    return this.db().query(
      `INSERT INTO webhook_events (provider, dedupe_key, payload)
       SELECT $1, event.key, event.payload FROM unnest($2::text[], $3::jsonb[]) AS event(key, payload)
       ON CONFLICT (provider, dedupe_key) DO NOTHING
       RETURNING id, dedupe_key AS "dedupeKey", status`,
      [provider, events.map((event) => event.dedupeKey), events.map((event) => JSON.stringify(event.payload))],
    );
  }

  byDedupeKeys(provider: string, dedupeKeys: readonly string[]): Promise<InboxEntry[]> {
    return this.db().query(
      `SELECT id, dedupe_key AS "dedupeKey", status FROM webhook_events WHERE provider = $1 AND dedupe_key = ANY($2)`,
      [provider, dedupeKeys],
    );
  }

  /**
   * Stores activities the reconciliation found missing as events of source `reconciliation`, once
   * per activity (key `reconcile-<object_id>`); returns the ids of the rows it inserted.
   */
  async insertReconciled(provider: string, payloads: readonly { object_id: string }[]): Promise<string[]> {
    const rows: { id: string }[] = await this.db().query(
      `INSERT INTO webhook_events (provider, dedupe_key, payload, source)
       SELECT $1, 'reconcile-' || (event.payload->>'object_id'), event.payload, 'reconciliation'
         FROM unnest($2::jsonb[]) AS event(payload)
       ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING id`,
      [provider, payloads.map((payload) => JSON.stringify(payload))],
    );
    return rows.map((row) => row.id);
  }

  async payloadAndStatus(eventId: string): Promise<{ payload: unknown; status: WebhookEventStatus } | null> {
    const [row] = await this.db().query(`SELECT payload, status FROM webhook_events WHERE id = $1`, [eventId]);
    return row ?? null;
  }

  /**
   * Pending events to queue again, oldest first (at most 1000): their retry time came, or — none
   * set — they were received more than `lostAfterMs` ago.
   */
  async dueForRequeue(provider: string, lostAfterMs: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db().query(
      `SELECT id FROM webhook_events
        WHERE provider = $1 AND status = 'pending'
          AND coalesce(retry_at, received_at + make_interval(secs => $2)) < now()
        ORDER BY received_at LIMIT 1000`,
      [provider, lostAfterMs / 1000],
    );
    return rows.map((row) => row.id);
  }

  /** How often the event was postponed already, and when it arrived. */
  async retryState(eventId: string): Promise<{ attempts: number; receivedAt: Date } | null> {
    const [row] = await this.db().query(`SELECT attempts, received_at FROM webhook_events WHERE id = $1`, [eventId]);
    return row ? { attempts: row.attempts, receivedAt: new Date(row.received_at) } : null;
  }

  /** A pending event's job gave up: count the round, and queue it again at `retryAt`. */
  async postpone(eventId: string, retryAt: Date, error: string): Promise<void> {
    await this.db().query(
      `UPDATE webhook_events SET attempts = attempts + 1, retry_at = $2, error = $3 WHERE id = $1 AND status = 'pending'`,
      [eventId, retryAt, error],
    );
  }

  async settle(eventId: string, status: Exclude<WebhookEventStatus, 'pending'>, error: string | null): Promise<void> {
    await this.db().query(`UPDATE webhook_events SET status = $2, error = $3, processed_at = now() WHERE id = $1`, [
      eventId,
      status,
      error,
    ]);
  }

  /** Deletes handled events (processed or ignored) received more than `retentionDays` before `now`; returns how many. */
  async deleteHandledBefore(now: Date, retentionDays: number): Promise<number> {
    const [, affected] = await this.db().query(
      `DELETE FROM webhook_events WHERE status IN ('processed', 'ignored') AND received_at < $1::timestamptz - make_interval(days => $2)`,
      [now, retentionDays],
    );
    return affected ?? 0;
  }
}
