import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { deleteStaleRedisKeys, dropStaleDatabases, HOST_TAG } from './stale-test-data';
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from './test-env';

/** A process id of this machine that has just ended. */
function goneProcessId(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('removing what killed test runs left behind', () => {
  const postgres = new Client({ connectionString: TEST_POSTGRES_URL });
  const redis = new Redis(TEST_REDIS_URL);
  const stamp = Date.now().toString(36);
  const name = (separator: string, pid: number) =>
    ['deload', 'test', stamp, pid.toString(36), HOST_TAG, randomBytes(3).toString('hex')].join(separator);
  const killedRun = { db: name('_', goneProcessId()), redis: name('-', goneProcessId()) };
  const runningRun = { db: name('_', process.pid), redis: name('-', process.pid) };
  const unrelated = `deload_test_someone_else_${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    await postgres.connect();
    for (const db of [killedRun.db, runningRun.db, unrelated]) await postgres.query(`CREATE DATABASE "${db}"`);
    await redis.set(`${killedRun.redis}-0123456789:rate:x`, 1);
    await redis.set(`${killedRun.redis}:bull:evaluate:1`, 1);
    await redis.set(`${runningRun.redis}:bull:evaluate:1`, 1);
  });
  afterAll(async () => {
    for (const db of [runningRun.db, unrelated]) await postgres.query(`DROP DATABASE IF EXISTS "${db}"`);
    await postgres.end();
    await redis.del(`${runningRun.redis}:bull:evaluate:1`);
    redis.disconnect();
  });

  it("drops the database and deletes the Redis keys of a run whose process is gone, and keeps a running run's", async () => {
    expect(await dropStaleDatabases(TEST_POSTGRES_URL)).toContain(killedRun.db);
    expect(await deleteStaleRedisKeys(TEST_REDIS_URL)).toContain(killedRun.redis);

    const { rows } = await postgres.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = ANY($1)`, [
      [killedRun.db, runningRun.db, unrelated],
    ]);
    expect(rows.map((row) => row.datname).sort()).toEqual([runningRun.db, unrelated].sort());
    expect(await redis.exists(`${killedRun.redis}-0123456789:rate:x`, `${killedRun.redis}:bull:evaluate:1`)).toBe(0);
    expect(await redis.exists(`${runningRun.redis}:bull:evaluate:1`)).toBe(1);
  });
});
