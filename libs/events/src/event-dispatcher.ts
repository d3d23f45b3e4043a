import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { AppConfig } from '@deload/config';
import { RepeatFilter } from '@deload/logging';
import { EventOutboxRepository, OutboxEvent } from '@deload/persistence';
import { EnqueueOptions, JobQueue, QueueName } from '@deload/queue';
import { DOMAIN_EVENT_TYPES, DomainEvent } from './domain-event';
import { takeRecorded } from './domain-events';
import { FollowUp, followUpsOf } from './follow-ups';

/** How often each process looks for events whose dispatch after commit did not happen (Redis away, process died). */
export const POLL_MS = 2_000;
/** An event this old is a leftover: its own transaction's dispatch would have taken it by now. */
const LEFTOVER_AFTER_S = 3;
const BATCH = 500;

/**
 * The one after-commit dispatcher. Registered as a TypeORM subscriber, it sees every transaction of
 * this process commit; when the transaction recorded events (DomainEvents.record), it queues their
 * follow-up jobs (followUpsOf) on the same connection right after COMMIT and deletes the rows. If
 * Redis is away that takes at most ENQUEUE_TIMEOUT_MS and the caller never sees the failure: the
 * rows stay, and a poller in every process queues leftovers every POLL_MS once Redis is back (or
 * when the writing process died after its commit). Follow-ups have deterministic job ids, so an
 * event dispatched twice queues nothing twice.
 */
@Injectable()
export class EventDispatcher implements EntitySubscriberInterface, OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventDispatcher.name);
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly repeats = new RepeatFilter();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly outbox: EventOutboxRepository,
  ) {}

  onModuleInit(): void {
    if (!this.dataSource.subscribers.includes(this)) this.dataSource.subscribers.push(this);
  }

  onApplicationBootstrap(): void {
    this.schedulePoll();
  }

  /** Stops polling and waits for dispatches in progress (the connections they need are still open). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): Promise<void> | void {
    // A released savepoint: the outer transaction has not committed yet.
    if (event.queryRunner.isTransactionActive) return;
    const ids = takeRecorded(event.queryRunner);
    if (ids.length) return this.track(this.dispatchCommitted(event.queryRunner, ids));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) takeRecorded(event.queryRunner);
  }

  /** Queues the follow-ups of every leftover event of this deployment; returns how many events were dispatched. */
  async dispatchLeftovers(olderThanS = LEFTOVER_AFTER_S): Promise<number> {
    let dispatched = 0;
    for (;;) {
      const count = await this.dataSource.transaction(async (manager) => {
        const rows = await this.outbox.lockLeftovers(this.config.env.REDIS_KEY_PREFIX, DOMAIN_EVENT_TYPES, olderThanS, BATCH, manager);
        if (!rows.length) return 0;
        await this.enqueue(rows);
        await this.outbox.delete(
          rows.map((row) => row.id),
          manager,
        );
        return rows.length;
      });
      dispatched += count;
      if (count < BATCH) return dispatched;
    }
  }

  /** Right after COMMIT, on the committing connection (still held): never takes a second connection from the pool. */
  private async dispatchCommitted(runner: QueryRunner, ids: string[]): Promise<void> {
    try {
      const rows = await this.outbox.byIds(ids, runner.manager);
      await this.enqueue(rows);
      await this.outbox.delete(ids, runner.manager);
    } catch (error) {
      this.warn(
        `follow-ups of ${ids.length} events wait in event_outbox (${(error as Error).message}); they are queued once that works again`,
      );
    }
  }

  private async enqueue(rows: OutboxEvent[]): Promise<void> {
    const now = new Date();
    const byQueue = new Map<QueueName, { payload: FollowUp['payload']; options: EnqueueOptions }[]>();
    for (const row of rows) {
      const context = { recordedAt: row.createdAt, now, checkinDelayMs: this.config.env.PAIN_CHECKIN_DELAY_MIN * 60_000 };
      for (const job of followUpsOf(row.payload as DomainEvent, context)) {
        const list = byQueue.get(job.queue) ?? [];
        list.push({ payload: job.payload, options: job.options });
        byQueue.set(job.queue, list);
      }
    }
    // addBulk keeps each job's id and options; the typed signature cannot follow a queue chosen at run time.
    for (const [queue, jobs] of byQueue) await this.jobs.addBulk(queue as 'evaluate', jobs as never);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.track(
        this.dispatchLeftovers()
          .then((count) => count && this.logger.log(`queued the follow-ups of ${count} waiting events`))
          .catch((error: Error) => this.warn(`could not queue waiting events: ${error.message}`))
          .finally(() => this.schedulePoll()),
      );
    }, POLL_MS);
    this.timer.unref();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  /** The same failure repeats on every poll while Redis is away: said once per 30 s (numbers aside). */
  private warn(message: string): void {
    if (this.repeats.shouldSay(message.replace(/\d+/g, '#'))) this.logger.warn(message);
  }
}
