import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import DataLoader from 'dataloader';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@deload/config';
import { RepeatFilter } from '@deload/logging';
import { forbidden, invalid } from '@deload/domain';
import { isDatabaseUnavailable, WebhookEventsRepository, WebhookEventStatus } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { eventDedupeKey, StravaEvent, stravaEventSchema } from './strava-event';
import { StravaPushSubscriptions } from './push-subscriptions.service';
import { adoptOrphanSpools, processSpoolDir, WebhookSpool } from './webhook-spool';

export const STRAVA_PROVIDER = 'strava';
/** How long the recorded subscription id is trusted before it is read again. */
const SUBSCRIPTION_CACHE_MS = 60_000;
/** An unknown subscription id re-reads the record at most this often (an attacker can't make every request a query). */
const SUBSCRIPTION_RELOAD_MS = 1_000;
/** Events stored with one statement and queued with one Redis round trip, at most. */
const MAX_BATCH = 200;
/**
 * Events arriving within this long of the first are stored and queued together (one INSERT, one
 * Redis round trip): under load fewer, larger batches cost less CPU per event; alone, an event waits this long more.
 */
export const WEBHOOK_BATCH_WINDOW_MS = 2;
/** While events wait in the spool, storing them is tried this often; as is queueing events stored while Redis was away. */
const SPOOL_DRAIN_MS = 5_000;
/** Stored events this process could not queue, remembered to queue as soon as Redis is back (beyond this, the sweep does it). */
const MAX_UNQUEUED = 10_000;
/** A pending event is queued again by the sweep when its job was lost this long ago (queueing failed, Redis lost it). */
const LOST_AFTER_MS = 2 * 60_000;
/** Spacing of the inbox's own retries once a job used up its attempts (Strava down): 15 min doubling, at most 6 h apart… */
const RETRY_FIRST_MS = 15 * 60_000;
const RETRY_CAP_MS = 6 * 3600_000;
/** …for a week after the event arrived; then it is settled failed. */
export const RETRY_HORIZON_MS = 7 * 86_400_000;

export interface ReceivedEvent {
  /** The inbox row; null when the database was away and the event went to the spool. */
  eventId: string | null;
  duplicate: boolean;
  spooled: boolean;
}

interface InboxRow {
  id: string | null;
  dedupeKey: string;
  status: WebhookEventStatus;
  fresh: boolean;
  spooled?: boolean;
}

/** When the inbox sweep queues a pending event again after its job's attempts ran out for the `attempts`-th time. */
export function nextRetryAt(attempts: number, now: Date): Date {
  return new Date(now.getTime() + Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS));
}

export function stravaEventJobId(eventId: string): string {
  return `strava-event-${eventId}`;
}

/**
 * Webhook intake: answer Strava's subscription challenge, and record each event in the
 * webhook_events inbox before queueing it (job id from the inbox row, so a retried delivery is one
 * job). Never calls Strava: it answers in milliseconds. If queueing fails the event stays pending
 * in the inbox and `requeuePending` (cron) queues it later. If PostgreSQL is away the event goes
 * to the local spool (WebhookSpool) and Strava still gets its 200; the spool is stored into the
 * inbox as soon as the database answers again. The inbox is its own outbox: the webhook path does
 * not write event_outbox rows (libs/events), its pending rows and the sweep do that job.
 *
 * Under load, the events of requests that arrive in the same turn of the event loop are written
 * with one INSERT and queued with one round trip (DataLoader batching); each request still answers
 * only once its own event is stored.
 */
@Injectable()
export class StravaWebhookInbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StravaWebhookInbox.name);
  private readonly spool: WebhookSpool;
  private drainTimer?: NodeJS.Timeout;
  private draining?: Promise<unknown>;
  private readonly unqueued = new Set<string>();
  private readonly repeats = new RepeatFilter();
  private requeueTimer?: NodeJS.Timeout;
  private stopped = false;
  private subscriptionIds?: { ids: Set<string>; readAt: number };
  private readonly intake = new DataLoader<StravaEvent, InboxRow>((events) => this.storeAndQueue(events), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (dispatch) => setTimeout(dispatch, WEBHOOK_BATCH_WINDOW_MS),
  });

  constructor(
    private readonly inbox: WebhookEventsRepository,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly subscriptions: StravaPushSubscriptions,
  ) {
    this.spool = new WebhookSpool(config.env.SPOOL_DIR);
  }

  /**
   * For API_PROCESSES > 1 (apps/api's cluster primary, before any api process runs): each process
   * gets its own spool under SPOOL_DIR (`spoolDirs`), and events spooled by processes that will not
   * run now are handed to the first (`adoptOrphanSpools`), which stores them when it starts.
   */
  static async prepareSpools(root: string, processes: number): Promise<{ spoolDirs: string[]; adoptedFiles: number }> {
    const adoptedFiles = await adoptOrphanSpools(root, processes);
    return { spoolDirs: Array.from({ length: processes }, (_, index) => processSpoolDir(root, index + 1, processes)), adoptedFiles };
  }

  /** Events spooled before a restart are stored now. */
  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.spool.isEmpty())) this.drainSpoolSoon(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.drainTimer);
    clearTimeout(this.requeueTimer);
    await this.draining;
  }

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
    // guesses subscription ids when they found ours. Unknown (database away, nothing cached): kept.
    if ((await this.subscriptionVerdict(event.subscription_id)) === false) return null;
    const row = await this.intake.load(event);
    return { eventId: row.id, duplicate: !row.fresh, spooled: !!row.spooled };
  }

  /**
   * The sweep: queues pending events whose job was lost (queueing failed, Redis lost it, it gave up
   * after the worker died under it) or whose retry time came; a job that failed is retried with
   * fresh attempts. Same job ids: never twice.
   */
  async requeuePending(lostAfterMs = LOST_AFTER_MS): Promise<number> {
    const due = await this.inbox.dueForRequeue(STRAVA_PROVIDER, lostAfterMs);
    const fresh: string[] = [];
    const queue = this.jobs.queue('strava-event');
    for (const id of due) {
      const job = await queue.getJob(stravaEventJobId(id));
      if (!job) fresh.push(id);
      else if (await job.isFailed()) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    }
    await this.enqueue(fresh);
    return due.length;
  }

  /**
   * A job used up its attempts on a passing failure (Strava down or failing): the event stays
   * pending and the sweep queues it again later, spaced out (nextRetryAt), for RETRY_HORIZON_MS
   * after it arrived; after that it is settled failed. Returns true when it will be retried.
   */
  async postpone(eventId: string, reason: string, now = new Date()): Promise<boolean> {
    const state = await this.inbox.retryState(eventId);
    if (!state) return false;
    if (now.getTime() - state.receivedAt.getTime() > RETRY_HORIZON_MS) {
      await this.settle(eventId, 'failed', `gave up after ${state.attempts + 1} rounds of retries: ${reason}`);
      return false;
    }
    await this.inbox.postpone(eventId, nextRetryAt(state.attempts + 1, now), reason.slice(0, 1000));
    return true;
  }

  /**
   * Puts activities the daily reconciliation found missing into the inbox as if Strava had pushed
   * them (source `reconciliation`), once per activity, and queues them. Returns how many were new.
   */
  async recordMissing(athleteId: string, activityIds: readonly string[], now = new Date()): Promise<number> {
    if (!activityIds.length) return 0;
    const events = activityIds.map((id) => ({
      object_type: 'activity',
      object_id: id,
      aspect_type: 'create',
      updates: {},
      owner_id: athleteId,
      subscription_id: '0',
      event_time: Math.floor(now.getTime() / 1000),
    }));
    const inserted = await this.inbox.insertReconciled(STRAVA_PROVIDER, events);
    await this.enqueue(inserted);
    return inserted.length;
  }

  async load(eventId: string): Promise<{ event: StravaEvent; status: WebhookEventStatus } | null> {
    const row = await this.inbox.payloadAndStatus(eventId);
    return row ? { event: stravaEventSchema.parse(row.payload), status: row.status } : null;
  }

  /** `note` (why it was ignored, what failed) is kept for ignored and failed events. */
  async settle(eventId: string, status: Exclude<WebhookEventStatus, 'pending'>, note?: string): Promise<void> {
    await this.inbox.settle(eventId, status, status === 'processed' ? null : (note?.slice(0, 1000) ?? null));
  }

  private async storeAndQueue(events: readonly StravaEvent[]): Promise<InboxRow[]> {
    let rows: InboxRow[];
    try {
      rows = await this.store(events);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      await this.spool.append(events);
      if (this.repeats.shouldSay('spooling'))
        this.logger.warn(
          `database unreachable (${(error as Error).message}): webhook events are spooled in ${this.spool.dir} until it answers`,
        );
      this.drainSpoolSoon();
      return events.map((event) => ({ id: null, dedupeKey: eventDedupeKey(event), status: 'pending', fresh: true, spooled: true }));
    }
    await this.enqueue(pendingIds(rows));
    return rows;
  }

  private drainSpoolSoon(delayMs = SPOOL_DRAIN_MS): void {
    if (this.drainTimer || this.stopped) return;
    this.drainTimer = setTimeout(() => {
      this.draining = this.drainSpool().finally(() => {
        this.drainTimer = undefined;
        this.draining = undefined;
      });
    }, delayMs);
    this.drainTimer.unref();
  }

  /** Stores the spooled events (those of our subscription) in the inbox and queues them; tries again later while the database is away. */
  private async drainSpool(): Promise<void> {
    try {
      const stored = await this.spool.drain(async (bodies) => {
        const ids = new Set(await this.subscriptions.recordedIds());
        const events = bodies
          .map((body) => stravaEventSchema.safeParse(body))
          .flatMap((parsed) => (parsed.success && ids.has(parsed.data.subscription_id) ? [parsed.data] : []));
        for (let start = 0; start < events.length; start += MAX_BATCH) {
          await this.enqueue(pendingIds(await this.store(events.slice(start, start + MAX_BATCH))));
        }
      });
      if (stored) this.logger.log(`stored ${stored} spooled webhook events in the inbox`);
    } catch (error) {
      this.logger.warn(`spooled webhook events wait for the database: ${(error as Error).message}`);
    }
    if (!(await this.spool.isEmpty())) {
      this.drainTimer = undefined;
      this.drainSpoolSoon();
    }
  }

  /** Inserts the new events and finds the rows of those already received; one row per event, in order. */
  private async store(events: readonly StravaEvent[]): Promise<InboxRow[]> {
    const keys = events.map(eventDedupeKey);
    const inserted = await this.inbox.insertNew(
      STRAVA_PROVIDER,
      events.map((event, index) => ({ dedupeKey: keys[index], payload: event })),
    );
    const byKey = new Map<string, InboxRow>(inserted.map((row) => [row.dedupeKey, { ...row, fresh: true }]));
    const missing = keys.filter((key) => !byKey.has(key));
    if (missing.length) {
      for (const row of await this.inbox.byDedupeKeys(STRAVA_PROVIDER, missing)) byKey.set(row.dedupeKey, { ...row, fresh: false });
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
      await this.addJobs(eventIds);
    } catch (error) {
      for (const id of eventIds) if (this.unqueued.size < MAX_UNQUEUED) this.unqueued.add(id);
      this.logger.warn(
        `${eventIds.length} events are in the inbox but could not be queued (${(error as Error).message}); queueing them once Redis answers`,
      );
      this.requeueSoon();
    }
  }

  private addJobs(eventIds: string[]): Promise<void> {
    return this.jobs.addBulk(
      'strava-event',
      eventIds.map((eventId) => ({ payload: { eventId }, options: { jobId: stravaEventJobId(eventId) } })),
    );
  }

  /** Queues the events this process stored while Redis was away, as soon as it answers again (the sweep is the safety net). */
  private requeueSoon(): void {
    if (this.requeueTimer || this.stopped) return;
    this.requeueTimer = setTimeout(async () => {
      const ids = [...this.unqueued];
      try {
        await this.addJobs(ids);
        for (const id of ids) this.unqueued.delete(id);
        this.logger.log(`queued ${ids.length} inbox events stored while Redis was away`);
      } catch {
        // still away: try again
      }
      this.requeueTimer = undefined;
      if (this.unqueued.size) this.requeueSoon();
    }, SPOOL_DRAIN_MS);
    this.requeueTimer.unref();
  }

  /**
   * Whether the event is of our push subscription. With the database away the last ids read decide;
   * if none were read yet, `undefined`: the event is spooled and checked when it is stored.
   */
  private async subscriptionVerdict(subscriptionId: string): Promise<boolean | undefined> {
    const cached = this.subscriptionIds;
    const age = cached ? Date.now() - cached.readAt : Infinity;
    if (cached && age < SUBSCRIPTION_CACHE_MS && (cached.ids.has(subscriptionId) || age < SUBSCRIPTION_RELOAD_MS)) {
      return cached.ids.has(subscriptionId);
    }
    try {
      this.subscriptionIds = { ids: new Set(await this.subscriptions.recordedIds()), readAt: Date.now() };
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return cached?.ids.has(subscriptionId);
    }
    return this.subscriptionIds.ids.has(subscriptionId);
  }
}

function pendingIds(rows: readonly InboxRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (row.status === 'pending' && row.id ? [row.id] : [])))];
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
