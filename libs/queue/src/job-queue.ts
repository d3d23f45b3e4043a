import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { QueueName, QueuePayloads } from './queues';
import { DISCONNECTED_STATES, QueueUnavailableError, withinQueueTimeout } from './queue-unavailable';

/** No caller waits longer than this on Redis: a request answers 503 (or relies on its durable record) instead of hanging. */
export const ENQUEUE_TIMEOUT_MS = 1_000;

export interface EnqueueOptions {
  /** Deterministic id: a job with the same id is not added twice while it exists. */
  jobId?: string;
  delayMs?: number;
  /**
   * Coalesces bursts: while a job with this id waits, later adds are dropped (it will see their
   * data); while one runs, the last add is kept and runs after it. Unlike a jobId it does not
   * block adds once the job has finished (finished jobs are kept for days).
   */
  deduplicationId?: string;
}

/**
 * The one way code puts work on a queue (the producer side of libs/queue). Fails fast with
 * QueueUnavailableError when Redis is disconnected or does not answer within ENQUEUE_TIMEOUT_MS.
 */
@Injectable()
export class JobQueue {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue<N extends QueueName>(name: N): Queue<QueuePayloads[N]> {
    return this.moduleRef.get(getQueueToken(name), { strict: false });
  }

  async add<N extends QueueName>(name: N, payload: QueuePayloads[N], options: EnqueueOptions = {}): Promise<void> {
    // Queue<T>'s generics cannot see through the mapped payload type; the signature above keeps callers typed.
    const queue = await this.connected(name);
    await withinQueueTimeout((queue as Queue).add(name, payload, jobsOptions(options)), ENQUEUE_TIMEOUT_MS, `adding a ${name} job`);
  }

  /** Several jobs of one queue in one round trip to Redis; each keeps its own options (ids, as in `add`). */
  async addBulk<N extends QueueName>(name: N, jobs: { payload: QueuePayloads[N]; options?: EnqueueOptions }[]): Promise<void> {
    if (!jobs.length) return;
    const queue = await this.connected(name);
    await withinQueueTimeout(
      (queue as Queue).addBulk(jobs.map((job) => ({ name, data: job.payload, opts: jobsOptions(job.options ?? {}) }))),
      ENQUEUE_TIMEOUT_MS,
      `adding ${jobs.length} ${name} jobs`,
    );
  }

  /** Whether the queue's Redis connection is up (for the health check), answered within `timeoutMs`. */
  async isConnected(name: QueueName, timeoutMs = ENQUEUE_TIMEOUT_MS): Promise<boolean> {
    try {
      const client = await withinQueueTimeout(this.queue(name).client, timeoutMs, `connecting the ${name} queue`);
      return client.status === 'ready';
    } catch {
      return false;
    }
  }

  /** The queue, once its connection is known to be usable; QueueUnavailableError at once while it is reconnecting. */
  private async connected<N extends QueueName>(name: N): Promise<Queue<QueuePayloads[N]>> {
    const queue = this.queue(name);
    const client = await withinQueueTimeout(queue.client, ENQUEUE_TIMEOUT_MS, `connecting the ${name} queue`);
    if (isDown(client)) throw new QueueUnavailableError(`Redis connection ${client.status}`);
    return queue;
  }
}

/**
 * Known to be down: between reconnection attempts, or trying again after losing Redis (ioredis
 * counts its retries until it is ready again) — a command would wait in its offline queue.
 */
function isDown(client: { status: string; retryAttempts?: number }): boolean {
  return DISCONNECTED_STATES.has(client.status) || (client.status === 'connecting' && (client.retryAttempts ?? 0) > 0);
}

function jobsOptions(options: EnqueueOptions): JobsOptions {
  const jobOptions: JobsOptions = {};
  if (options.jobId) jobOptions.jobId = options.jobId;
  if (options.delayMs) jobOptions.delay = options.delayMs;
  if (options.deduplicationId) jobOptions.deduplication = { id: options.deduplicationId, keepLastIfActive: true };
  return jobOptions;
}
