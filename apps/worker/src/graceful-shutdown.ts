import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { EventDispatcher } from '@deload/events';
import { ImportFolderWatcher } from '@deload/ingest';
import { WorkerLifecycle } from '@deload/queue';

/**
 * The worker's stop, in order, before any connection closes (Nest closes the database, Redis and
 * SMTP connections only after every beforeApplicationShutdown hook): the import folder finishes
 * the file it is on and takes no other; the queue workers take no new job and wait for the running
 * ones, which still have every connection they need; then the follow-ups those jobs declared are
 * queued. A job cut off by SIGKILL is picked up again by another worker (BullMQ's stalled-job check).
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');

  constructor(
    private readonly importFolder: ImportFolderWatcher,
    private readonly queues: WorkerLifecycle,
    private readonly events: EventDispatcher,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: no new jobs or files, finishing the running ones`);
    await this.importFolder.stop();
    await this.queues.closeWorkers();
    await this.events
      .dispatchLeftovers(0)
      .catch((error: Error) => this.logger.warn(`follow-ups left for the next worker: ${error.message}`));
    await this.events.beforeApplicationShutdown();
  }
}
