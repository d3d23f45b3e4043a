import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_TAG } from './stale-test-data';

/** Where the test harness finds PostgreSQL (as a superuser) and Redis. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A name of this run's own: `<prefix>_<time>_<pid>_<machine>_<random>` (base 36 time and pid), so
 * the next run can tell whether it is left over from a run that is over (stale-test-data.ts).
 */
export function uniqueName(prefix: string): string {
  return [prefix, Date.now().toString(36), process.pid.toString(36), HOST_TAG, randomBytes(3).toString('hex')].join('_');
}

/** A database URL on the test server with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The Redis key prefix of the running test file: under the run's prefix (so global-teardown removes
 * it) and different for every file, so a worker one file boots — configured its own way (another
 * outbox, no SMTP server) — never takes another file's jobs. An api and a worker started by the
 * same file share it.
 */
function fileRedisPrefix(): string {
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  const run = required('DELOAD_TEST_REDIS_PREFIX');
  return testPath ? `${run}-${createHash('sha256').update(testPath).digest('hex').slice(0, 10)}` : run;
}

/**
 * Environment for an app under test: the throwaway database of this run (made by global-setup),
 * a Redis prefix of the test file's own, quiet logs, development secret. Tests add what they need.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const prefix = fileRedisPrefix();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: required('DELOAD_TEST_DATABASE_URL'),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789abcdef',
    // Emails of apps without an SMTP server go to a temporary folder, not the checkout's var/outbox.
    OUTBOX_DIR: join(tmpdir(), `${required('DELOAD_TEST_REDIS_PREFIX')}-outbox`),
    // Webhooks spooled while the database is away: per test file, like its queues.
    SPOOL_DIR: join(tmpdir(), `${prefix}-spool`),
  };
  return { ...env, ...overrides };
}

/**
 * A Redis key prefix of its own for part of a test file (under the run's prefix, so global-teardown
 * removes it), e.g. for a second worker configured differently from the file's first.
 */
export function ownRedisPrefix(label: string): { REDIS_KEY_PREFIX: string } {
  return { REDIS_KEY_PREFIX: `${required('DELOAD_TEST_REDIS_PREFIX')}-${label}` };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration and e2e tests through jest (global-setup sets it)`);
  return value;
}
