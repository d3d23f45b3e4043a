import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import { RepeatFilter } from '@deload/logging';
import { JobQueue } from './job-queue';
import { queueNames } from './queues';

/**
 * The BullMQ side of a process's life: connection and lock errors of queues and workers go to the
 * JSON log as one line each (BullMQ prints a bare stack trace on stderr for an `error` event
 * nobody listens to — "Missing lock for job …" after Redis was killed), and `closeWorkers` stops
 * taking jobs and waits for the running ones, while every connection they need is still open.
 * A connection that is down at shutdown is dropped instead of closed: closing waits for Redis to
 * answer QUIT, which it cannot while it is away, and the process would never exit.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Queues');
  private readonly repeats = new RepeatFilter();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobs: JobQueue,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of queueNames()) this.jobs.queue(name).on('error', (error) => this.report(`queue ${name}`, error));
    for (const worker of this.workers()) worker.on('error', (error) => this.report(`worker ${worker.name}`, error));
  }

  /**
   * Stops every worker of this process from taking new jobs and resolves once the running ones have
   * finished. While Redis is away a running job cannot report its end anyway: those workers stop
   * without waiting (their jobs are picked up again once Redis is back, as after a crash).
   */
  async closeWorkers(): Promise<void> {
    const workers = this.workers();
    const running = workers.filter((worker) => worker.isRunning()).length;
    if (running) this.logger.log(`stopping ${running} queue workers: no new jobs, waiting for the running ones`);
    await Promise.all(workers.map(async (worker) => worker.close((await connectionState(worker.client)) !== 'up')));
  }

  /**
   * Drops the queue connections that were up and are down now, so that closing them later does not
   * wait for Redis forever (one that never connected is dropped by closing it anyway).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      queueNames().map(async (name) => {
        const queue = this.jobs.queue(name);
        if ((await connectionState(queue.client)) === 'lost') await queue.disconnect().catch(() => undefined);
      }),
    );
  }

  private workers(): Worker[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .map((host) => {
        try {
          return host.worker;
        } catch {
          return undefined; // a WorkerHost whose worker was never created (not a registered processor)
        }
      })
      .filter((worker): worker is Worker => !!worker);
  }

  /** Every queue and worker has its own connection, and they all fail together: one line per distinct error. */
  private report(source: string, error: Error): void {
    if (this.repeats.shouldSay(error.message)) this.logger.warn(`${source} (and any other queue on the same Redis): ${error.message}`);
  }
}

/** A BullMQ connection now: up, lost (it was up once), or never made (still connecting). Answers at once. */
type ConnectionState = 'up' | 'lost' | 'never';

async function connectionState(client: Promise<{ status: string }>): Promise<ConnectionState> {
  return Promise.race([
    client.then(
      (redis): ConnectionState => (redis.status === 'ready' ? 'up' : 'lost'),
      (): ConnectionState => 'never',
    ),
    delay(100).then((): ConnectionState => 'never'),
  ]);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
