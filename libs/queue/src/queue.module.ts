import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@deload/config';
import { JobQueue } from './job-queue';
import { jobOptionsFor, queueNames } from './queues';
import { RedisClient } from './redis.provider';
import { redisOptionsFromUrl } from './redis-options';

/** BullMQ on the configured Redis, every declared queue registered, and a plain Redis client. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { ...redisOptionsFromUrl(config.env.REDIS_URL), maxRetriesPerRequest: null },
        prefix: config.env.REDIS_KEY_PREFIX,
      }),
    }),
    ...queueNames().map((name) => BullModule.registerQueue({ name, defaultJobOptions: jobOptionsFor(name) })),
  ],
  providers: [JobQueue, RedisClient],
  exports: [BullModule, JobQueue, RedisClient],
})
export class QueueModule {}
