import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@deload/config';
import { forbidden, invalid } from '@deload/domain';
import { WebhookEventStatus } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { eventDedupeKey, StravaEvent, stravaEventSchema } from './strava-event';
import { StravaPushSubscriptions } from './push-subscriptions.service';

export const STRAVA_PROVIDER = 'strava';
/** How long the recorded subscription id is trusted before it is read again. */
const SUBSCRIPTION_CACHE_MS = 60_000;
/** An unknown subscription id re-reads the record at most this often (an attacker can't make every request a query). */
const SUBSCRIPTION_RELOAD_MS = 1_000;
/** Events stored with one statement and queued with one Redis round trip, at most. */
const MAX_BATCH = 200;

export interface ReceivedEvent {
  eventId: string;
  duplicate: boolean;
}

interface InboxRow {
  id: string;
  dedupe_key: string;
  status: WebhookEventStatus;
  fresh: boolean;
}

export function stravaEventJobId(eventId: string): string {
  return `strava-event-${eventId}`;
}

/**
 * Webhook intake: answer Strava's subscription challenge, and record each event in the
 * webhook_events inbox before queueing it (job id from the inbox row, so a retried delivery is one
 * job). Never calls Strava: it answers in milliseconds. If queueing fails the event stays pending
 * in the inbox and `requeuePending` (cron) queues it later.
 *
 * Under load, the events of requests that arrive in the same turn of the event loop are written
 * with one INSERT and queued with one round trip (DataLoader batching); each request still answers
 * only once its own event is stored.
 */
@Injectable()
export class StravaWebhookInbox {
  private readonly logger = new Logger(StravaWebhookInbox.name);
  private subscriptionIds?: { ids: Set<string>; readAt: number };
  private readonly intake = new DataLoader<StravaEvent, InboxRow>((events) => this.storeAndQueue(events), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly subscriptions: StravaPushSubscriptions,
  ) {}

  /** The GET handshake: echo hub.challenge when hub.verify_token is ours. */
  answerChallenge(query: Record<string, unknown>): { 'hub.challenge': string } {
    const expected = this.config.env.STRAVA_WEBHOOK_VERIFY_TOKEN;
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || typeof challenge !== 'string' || !challenge) {
      throw invalid('expected hub.mode=subscribe with hub.challenge and hub.verify_token');
    }
    if (!expected || !sameSecret(query['hub.verify_token'], expected)) throw forbidden('hub.verify_token does not match');
    return { 'hub.challenge': challenge };
  }

  /** The stored event (new, or a retry of one received before); null when it was dropped for naming another subscription. */
  async receive(body: unknown): Promise<ReceivedEvent | null> {
    const parsed = stravaEventSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(`not a Strava event: ${issue.path.join('.') || 'body'} ${issue.message}`);
    }
    const event = parsed.data;
    // Dropped, but answered like any event by the caller: a different answer would tell whoever
    // guesses subscription ids when they found ours.
    if (!(await this.isOurSubscription(event.subscription_id))) return null;
    const row = await this.intake.load(event);
    return { eventId: row.id, duplicate: !row.fresh };
  }

  /** Queues events still pending after `olderThanMs` (queueing failed, or Redis lost them). Same job ids: never twice. */
  async requeuePending(olderThanMs = 2 * 60_000): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM webhook_events WHERE provider = $1 AND status = 'pending' AND received_at < now() - make_interval(secs => $2)
        ORDER BY received_at LIMIT 1000`,
      [STRAVA_PROVIDER, olderThanMs / 1000],
    );
    await this.enqueue(rows.map((row) => row.id));
    return rows.length;
  }

  async load(eventId: string): Promise<{ event: StravaEvent; status: WebhookEventStatus } | null> {
    const [row] = await this.dataSource.query(`SELECT payload, status FROM webhook_events WHERE id = $1`, [eventId]);
    return row ? { event: stravaEventSchema.parse(row.payload), status: row.status } : null;
  }

  /** `note` (why it was ignored, what failed) is kept for ignored and failed events. */
  async settle(eventId: string, status: Exclude<WebhookEventStatus, 'pending'>, note?: string): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_events SET status = $2, error = $3, processed_at = now() WHERE id = $1`, [
      eventId,
      status,
      status === 'processed' ? null : (note?.slice(0, 1000) ?? null),
    ]);
  }

  private async storeAndQueue(events: readonly StravaEvent[]): Promise<InboxRow[]> {
    const rows = await this.store(events);
    await this.enqueue([...new Set(rows.filter((row) => row.status === 'pending').map((row) => row.id))]);
    return rows;
  }

  /** Inserts the new events and finds the rows of those already received; one row per event, in order. */
  private async store(events: readonly StravaEvent[]): Promise<InboxRow[]> {
    const keys = events.map(eventDedupeKey);
    const inserted: InboxRow[] = await this.dataSource.query(
      `INSERT INTO webhook_events (provider, dedupe_key, payload)
       SELECT $1, event.key, event.payload FROM unnest($2::text[], $3::jsonb[]) AS event(key, payload)
       ON CONFLICT (provider, dedupe_key) DO NOTHING
       RETURNING id, dedupe_key, status, true AS fresh`,
      [STRAVA_PROVIDER, keys, events.map((event) => JSON.stringify(event))],
    );
    const byKey = new Map(inserted.map((row) => [row.dedupe_key, row]));
    const missing = keys.filter((key) => !byKey.has(key));
    if (missing.length) {
      const existing: InboxRow[] = await this.dataSource.query(
        `SELECT id, dedupe_key, status, false AS fresh FROM webhook_events WHERE provider = $1 AND dedupe_key = ANY($2)`,
        [STRAVA_PROVIDER, missing],
      );
      for (const row of existing) byKey.set(row.dedupe_key, row);
    }
    // The first of twins in one batch was inserted; the others are its retries.
    const seen = new Set<string>();
    return keys.map((key) => {
      const row = byKey.get(key)!;
      const first = !seen.has(key);
      seen.add(key);
      return { ...row, fresh: row.fresh && first };
    });
  }

  private async enqueue(eventIds: string[]): Promise<void> {
    try {
      await this.jobs.addBulk(
        'strava-event',
        eventIds.map((eventId) => ({ payload: { eventId }, options: { jobId: stravaEventJobId(eventId) } })),
      );
    } catch (error) {
      this.logger.warn(
        `${eventIds.length} events are in the inbox but could not be queued (${(error as Error).message}); the sweep will queue them`,
      );
    }
  }

  private async isOurSubscription(subscriptionId: string): Promise<boolean> {
    const cached = this.subscriptionIds;
    const age = cached ? Date.now() - cached.readAt : Infinity;
    if (cached && age < SUBSCRIPTION_CACHE_MS && (cached.ids.has(subscriptionId) || age < SUBSCRIPTION_RELOAD_MS)) {
      return cached.ids.has(subscriptionId);
    }
    this.subscriptionIds = { ids: new Set(await this.subscriptions.recordedIds()), readAt: Date.now() };
    return this.subscriptionIds.ids.has(subscriptionId);
  }
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
