export { ENQUEUE_TIMEOUT_MS, JobQueue, type EnqueueOptions } from './job-queue';
export { MissingProcessorError, ProcessorCoverageCheck, processorProblems } from './processor-coverage';
export { QueueProcessor } from './queue-processor.decorator';
export { QueueModule } from './queue.module';
export {
  backoffStrategy,
  CAPPED_EXPONENTIAL,
  DEFAULT_JOB_OPTIONS,
  EMAIL_QUEUES,
  EMAIL_RETRY_CAP_MS,
  jobOptionsFor,
  notifyJobId,
  QUEUES,
  queueNames,
  type EvaluateReason,
  type QueueDefinition,
  type QueueName,
  type QueuePayloads,
} from './queues';
export { isQueueUnavailable, QueueUnavailableError, withinQueueTimeout } from './queue-unavailable';
export { RedisClient } from './redis.provider';
export { deferIfAskedTo, RetryLaterError } from './retry-later';
export { redisOptionsFromUrl } from './redis-options';
export { WorkerLifecycle } from './worker-lifecycle';
