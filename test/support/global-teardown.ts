import Redis from 'ioredis';
import { compiledPersistence } from './global-setup';
import { TEST_REDIS_URL } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const remaining = Number(process.env.DELOAD_TEST_SETUPS ?? 1) - 1;
  process.env.DELOAD_TEST_SETUPS = String(remaining);
  if (remaining > 0) return;

  const url = process.env.DELOAD_TEST_DATABASE_URL;
  if (url && !process.env.KEEP_TEST_DATABASE) await compiledPersistence().dropDatabase(url);
  const prefix = process.env.DELOAD_TEST_REDIS_PREFIX;
  // `${prefix}*`, not `${prefix}:*`: test files may use prefixes of their own below it (ownRedisPrefix).
  if (prefix) await deleteKeys(`${prefix}*`);
}

async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
