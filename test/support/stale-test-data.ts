import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * What a test run leaves behind when it is killed (Ctrl-C, a CI timeout): its database and its
 * Redis keys. Each run's names say who made them and when (`uniqueName` in test-env.ts); the next
 * run removes those whose run is over: made on this machine by a process that is gone, or — made
 * anywhere — more than STALE_AFTER_MS ago. A run still going (here or on another machine sharing
 * the servers) is never touched.
 */
export const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** Four hex characters naming this machine in test names, so a process id is only checked where it means something. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 4);

/** Database names and Redis key prefixes the test harness makes (test-env.ts `uniqueName`). */
const DATABASE_NAME = /^deload_(?:test|migrations)_([0-9a-z]{6,9})_(?:([0-9a-z]{1,5})_([0-9a-f]{4})_)?[0-9a-f]{6}$/;
const REDIS_PREFIX = /^deload-test-([0-9a-z]{6,9})-(?:([0-9a-z]{1,5})-([0-9a-f]{4})-)?[0-9a-f]{6}(?=[-:])/;

/** When and by which process (on which machine) a test name was made; undefined for names that are not ours. */
export interface TestNameOrigin {
  /** The run's own part of the name: the whole database name, or the Redis prefix of the run. */
  run: string;
  createdAt: number;
  pid?: number;
  host?: string;
}

function origin(match: RegExpMatchArray | null, now: number): TestNameOrigin | undefined {
  if (!match) return undefined;
  const createdAt = parseInt(match[1], 36);
  // A time that is no time of a run (another use of a similar name) is not ours.
  if (createdAt < Date.UTC(2024, 0, 1) || createdAt > now + 24 * 60 * 60 * 1000) return undefined;
  return { run: match[0], createdAt, pid: match[2] ? parseInt(match[2], 36) : undefined, host: match[3] };
}

export function databaseOrigin(name: string, now = Date.now()): TestNameOrigin | undefined {
  return origin(name.match(DATABASE_NAME), now);
}

export function redisKeyOrigin(key: string, now = Date.now()): TestNameOrigin | undefined {
  return origin(key.match(REDIS_PREFIX), now);
}

/** Whether a process of this machine still runs (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type Staleness = 'owner-gone' | 'old' | undefined;

/** Why a test run's leftovers may go: its process on this machine is gone, or it is older than STALE_AFTER_MS; else undefined. */
export function staleness(found: TestNameOrigin, now: number, alive: (pid: number) => boolean = processAlive): Staleness {
  if (found.pid !== undefined && found.host === HOST_TAG && found.pid !== process.pid && !alive(found.pid)) return 'owner-gone';
  if (now - found.createdAt > STALE_AFTER_MS) return 'old';
  return undefined;
}

/**
 * Drops the databases of runs that are over. One whose owner is gone is dropped even with
 * connections left (an orphaned api of that run); an old one only when nobody is connected.
 */
export async function dropStaleDatabases(postgresUrl: string, now = Date.now()): Promise<string[]> {
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  const dropped: string[] = [];
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^deload_(test|migrations)_'`,
    );
    for (const { datname } of rows) {
      const found = databaseOrigin(datname, now);
      const why = found && staleness(found, now);
      if (!why) continue;
      const force = why === 'owner-gone' ? ' WITH (FORCE)' : '';
      const done = await client.query(`DROP DATABASE IF EXISTS "${datname}"${force}`).then(
        () => true,
        () => false,
      );
      if (done) dropped.push(datname);
    }
  } finally {
    await client.end();
  }
  return dropped;
}

/** Deletes the Redis keys of runs that are over; returns their run prefixes. */
export async function deleteStaleRedisKeys(redisUrl: string, now = Date.now()): Promise<string[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const runs = new Set<string>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'deload-test-*', 'COUNT', 1000);
      const stale = keys.filter((key) => {
        const found = redisKeyOrigin(key, now);
        if (!found || !staleness(found, now)) return false;
        runs.add(found.run);
        return true;
      });
      if (stale.length) await redis.unlink(...stale);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return [...runs];
}
