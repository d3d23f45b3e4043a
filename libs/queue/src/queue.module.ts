import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@deload/config';
import { JobQueue } from './job-queue';
import { jobOptionsFor, queueNames } from './queues';
import { RedisClient } from './redis.provider';
import { redisOptionsFromUrl } from './redis-options';
import { WorkerLifecycle } from './worker-lifecycle';

/** Reconnect to a Redis that came back within 2 s (BullMQ's default backs off to 20 s). */
const RECONNECT_WITHIN_MS = 2_000;

/** BullMQ on the configured Redis, every declared queue registered, a plain Redis client, and the workers' lifecycle. */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: {
          ...redisOptionsFromUrl(config.env.REDIS_URL),
          maxRetriesPerRequest: null,
          retryStrategy: (times: number) => Math.min(times * 200, RECONNECT_WITHIN_MS),
        },
        prefix: config.env.REDIS_KEY_PREFIX,
      }),
    }),
    ...queueNames().map((name) => BullModule.registerQueue({ name, defaultJobOptions: jobOptionsFor(name) })),
  ],
  providers: [JobQueue, RedisClient, WorkerLifecycle],
  exports: [BullModule, JobQueue, RedisClient, WorkerLifecycle],
})
export class QueueModule {}
