import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL, testEnv } from './test-env';

/**
 * A Redis key prefix of its own under this run's prefix, for a test whose queues or rate-limit
 * budget must not be shared with other test files running at the same time (BullMQ workers of
 * another file would otherwise take its jobs). Remove the keys with `deleteRedisKeys` afterwards.
 */
export function isolatedRedisPrefix(label: string): string {
  return `${testEnv().REDIS_KEY_PREFIX}-${label}-${randomBytes(3).toString('hex')}`;
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
