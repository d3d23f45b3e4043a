import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { backoffStrategy, QUEUES, QueueName } from './queues';

export const QUEUE_PROCESSOR_METADATA = 'deload:queue-processor';

/**
 * A job whose worker died under it (SIGKILL, out of memory) goes back to the queue this many
 * times before it is marked failed (BullMQ's default is once); the sweepers revive failed work.
 */
const MAX_STALLED_COUNT = 3;

/**
 * Marks a WorkerHost as the processor of one declared queue, with the queue's concurrency and the
 * custom backoff strategy (capped exponential, for email jobs).
 * The worker's start-up check finds processors through this metadata.
 */
export function QueueProcessor(queue: QueueName): ClassDecorator {
  const concurrency = (QUEUES as Record<string, { concurrency?: number }>)[queue]?.concurrency ?? 1;
  return applyDecorators(
    Processor({ name: queue }, { concurrency, maxStalledCount: MAX_STALLED_COUNT, settings: { backoffStrategy } }),
    SetMetadata(QUEUE_PROCESSOR_METADATA, queue),
  );
}
