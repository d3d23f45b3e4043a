import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig, hostAndPort } from '@deload/config';
import { redisOptionsFromUrl } from './redis-options';

/**
 * A plain Redis connection for everything that is not a BullMQ queue (health check, rate
 * limiter, locks). Keys written through it must start with `key(...)` so several
 * deployments or test runs can share one Redis.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly redis: Redis;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.env.REDIS_URL),
      lazyConnect: true,
      // ioredis keeps a 2 s timer after disconnecting a socket that never connected; don't hold shutdown for it.
      disconnectTimeout: 200,
      // No caller waits longer than a second while Redis is away: it answers 503 or retries later.
      commandTimeout: 1_000,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    const address = hostAndPort(config.env.REDIS_URL, 6379);
    let lastError = '';
    this.redis.on('error', (error) => {
      if (error.message !== lastError)
        this.logger.warn(
          `cannot reach Redis at ${address} (${error.message}): is Redis running there, and is REDIS_URL right? Requests that need it answer 503 until it is back`,
        );
      lastError = error.message;
    });
    this.redis.on('ready', () => {
      if (lastError) this.logger.log(`Redis at ${address} is back`);
      lastError = '';
    });
    this.redis.connect().catch(() => undefined);
  }

  key(...parts: string[]): string {
    return [this.config.env.REDIS_KEY_PREFIX, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    // quit() waits for a reply, which never comes while Redis is unreachable: just drop the socket then.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
