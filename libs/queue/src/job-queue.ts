import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { QueueName, QueuePayloads } from './queues';

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

/** The one way code puts work on a queue (the producer side of libs/queue). */
@Injectable()
export class JobQueue {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue<N extends QueueName>(name: N): Queue<QueuePayloads[N]> {
    return this.moduleRef.get(getQueueToken(name), { strict: false });
  }

  async add<N extends QueueName>(name: N, payload: QueuePayloads[N], options: EnqueueOptions = {}): Promise<void> {
    // Queue<T>'s generics cannot see through the mapped payload type; the signature above keeps callers typed.
    await (this.queue(name) as Queue).add(name, payload, jobsOptions(options));
  }

  /** Several jobs of one queue in one round trip to Redis; each keeps its own options (ids, as in `add`). */
  async addBulk<N extends QueueName>(name: N, jobs: { payload: QueuePayloads[N]; options?: EnqueueOptions }[]): Promise<void> {
    if (!jobs.length) return;
    await (this.queue(name) as Queue).addBulk(jobs.map((job) => ({ name, data: job.payload, opts: jobsOptions(job.options ?? {}) })));
  }
}

function jobsOptions(options: EnqueueOptions): JobsOptions {
  const jobOptions: JobsOptions = {};
  if (options.jobId) jobOptions.jobId = options.jobId;
  if (options.delayMs) jobOptions.delay = options.delayMs;
  if (options.deduplicationId) jobOptions.deduplication = { id: options.deduplicationId, keepLastIfActive: true };
  return jobOptions;
}
