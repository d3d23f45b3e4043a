import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { JobQueue, queueNames } from '@deload/queue';

const CONNECT_TIMEOUT_MS = 500;

/**
 * The queues' own Redis connections (each BullMQ queue has one), not just a ping on another
 * connection: after a Redis restart they reconnect on their own schedule, and until they have,
 * the api cannot queue work.
 */
@Injectable()
export class QueuesHealthIndicator {
  constructor(
    private readonly jobs: JobQueue,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    const names = queueNames();
    const connected = await Promise.all(names.map((name) => this.jobs.isConnected(name, CONNECT_TIMEOUT_MS)));
    const disconnected = names.filter((_, index) => !connected[index]);
    return disconnected.length ? indicator.down({ disconnected }) : indicator.up();
  }
}
