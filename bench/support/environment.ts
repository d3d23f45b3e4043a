import { DataSource } from 'typeorm';
import { dataSourceOptions, dropDatabase, ensureDatabase, runMigrationsLocked } from '../../libs/persistence/src';
import { deleteRedisKeys } from '../../test/support/redis-prefix';
import { databaseUrl, TEST_REDIS_URL, uniqueName } from '../../test/support/test-env';

export interface BenchEnv {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * A throwaway database (migrated) and Redis prefix of this run's own, removed by `cleanup`. The
 * PostgreSQL server and Redis come from DATABASE_URL and REDIS_URL (see register.js); the prefix
 * is REDIS_KEY_PREFIX (default `deload-bench`) with a unique suffix, so only this run's keys go.
 */
export async function benchEnv(): Promise<BenchEnv> {
  const url = databaseUrl(uniqueName('deload_bench'));
  await ensureDatabase(url);
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();
  const prefix = uniqueName(process.env.REDIS_KEY_PREFIX ?? 'deload-bench').replace(/_/g, '-');
  process.env.DELOAD_TEST_DATABASE_URL = url;
  process.env.DELOAD_TEST_REDIS_PREFIX = prefix;
  return {
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789abcdef',
      // The benchmarks post every event from one loopback address.
      STRAVA_WEBHOOK_RATE_LIMIT: '1000000000',
    },
    async cleanup() {
      await dropDatabase(url);
      await deleteRedisKeys(prefix);
    },
  };
}
