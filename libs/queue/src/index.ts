export { JobQueue, type EnqueueOptions } from './job-queue';
export { MissingProcessorError, ProcessorCoverageCheck, processorProblems } from './processor-coverage';
export { QueueProcessor } from './queue-processor.decorator';
export { QueueModule } from './queue.module';
export {
  DEFAULT_JOB_OPTIONS,
  jobOptionsFor,
  QUEUES,
  queueNames,
  type EvaluateReason,
  type QueueDefinition,
  type QueueName,
  type QueuePayloads,
} from './queues';
export { RedisClient } from './redis.provider';
export { deferIfAskedTo, RetryLaterError } from './retry-later';
export { redisOptionsFromUrl } from './redis-options';
