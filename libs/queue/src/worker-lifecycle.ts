import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import { JobQueue } from './job-queue';
import { queueNames } from './queues';

/** The same connection error repeats on every reconnect attempt: say it once per this long. */
const REPEAT_AFTER_MS = 30_000;

/**
 * The BullMQ side of a process's life: connection and lock errors of queues and workers go to the
 * JSON log as one line each (BullMQ prints a bare stack trace on stderr for an `error` event
 * nobody listens to — "Missing lock for job …" after Redis was killed), and `closeWorkers` stops
 * taking jobs and waits for the running ones, while every connection they need is still open.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');
  private readonly lastSaid = new Map<string, number>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobs: JobQueue,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of queueNames()) this.jobs.queue(name).on('error', (error) => this.report(`queue ${name}`, error));
    for (const worker of this.workers()) worker.on('error', (error) => this.report(`worker ${worker.name}`, error));
  }

  /** Stops every worker of this process from taking new jobs and resolves once the running ones have finished. */
  async closeWorkers(): Promise<void> {
    const workers = this.workers();
    const running = workers.filter((worker) => worker.isRunning()).length;
    if (running) this.logger.log(`stopping ${running} queue workers: no new jobs, waiting for the running ones`);
    await Promise.all(workers.map((worker) => worker.close()));
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

  private report(source: string, error: Error): void {
    const line = `${source}: ${error.message}`;
    const now = Date.now();
    if (now - (this.lastSaid.get(line) ?? 0) < REPEAT_AFTER_MS) return;
    this.lastSaid.set(line, now);
    this.logger.warn(line);
  }
}
