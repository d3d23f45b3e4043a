import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LoadSummaryStore } from '@deload/dashboard';
import { dataSourceOptions, dropDatabase, ensureDatabase, RunnerLoadSummariesRepository, runMigrationsLocked } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { LocalCalendar } from '@deload/rules';
import { databaseUrl, testEnv, uniqueName } from '../../../../test/support/test-env';
import { TrainingData } from '../../../../test/support/training-data';
import { waitFor } from '../../../../test/support/wait';
import { createWorkerApp } from '../bootstrap';
import { LoadSummariesCron, loadSummariesJobId } from './load-summaries.cron';

interface Row {
  includeStrava: boolean;
  validFrom: Date;
  validUntil: Date;
  computedAt: Date;
  timezone: string;
  summary: unknown;
}

/**
 * The warm-up across local midnights in the real worker (PostgreSQL and Redis). A database of its
 * own: the warm-up refreshes every stale row, and other files' rows must stay as they stored them.
 */
describe('load summaries kept warm across local midnights (worker cron and load-summaries job)', () => {
  const url = databaseUrl(uniqueName('deload_warm'));
  let worker: INestApplicationContext;
  let db: DataSource;
  let store: LoadSummaryStore;
  const now = new Date();

  beforeAll(async () => {
    await ensureDatabase(url);
    const setup = await new DataSource({ ...dataSourceOptions(url), logging: false }).initialize();
    await runMigrationsLocked(setup);
    await setup.destroy();
    worker = await createWorkerApp(testEnv({ DATABASE_URL: url }), { schedule: false });
    db = worker.get(DataSource);
    store = worker.get(LoadSummaryStore);
  });

  afterAll(async () => {
    await worker?.close();
    await dropDatabase(url);
  });

  async function runner(email: string, timezone: string): Promise<string> {
    const [{ id }] = await db.query(`INSERT INTO users (email, timezone, last_synced_at) VALUES ($1, $2, $3) RETURNING id`, [
      email,
      timezone,
      now,
    ]);
    const data = new TrainingData(worker);
    for (const daysAgo of [2, 4, 6, 9, 12, 30]) await data.run(id, { daysAgo, distanceKm: 8 + daysAgo / 2, now });
    await data.run(id, { daysAgo: 3, distanceKm: 11, source: 'strava', now });
    return id;
  }

  async function rows(userId: string): Promise<Row[]> {
    return db.query(
      `SELECT include_strava AS "includeStrava", valid_from AS "validFrom", valid_until AS "validUntil", computed_at AS "computedAt",
              timezone, summary
         FROM runner_load_summaries WHERE user_id = $1 ORDER BY include_strava`,
      [userId],
    );
  }

  async function refreshAt(userId: string, at: Date): Promise<void> {
    const [user] = await db.query(`SELECT timezone, last_synced_at AS "syncedThrough" FROM users WHERE id = $1`, [userId]);
    await store.refresh([{ runnerId: userId, ...user }], at);
  }

  it('recomputes the rows of a runner whose local midnight has passed, leaves a fresh row alone, and does it once', async () => {
    const zone = 'Pacific/Kiritimati';
    const calendar = new LocalCalendar(zone);
    const todayStart = calendar.startOf(calendar.dayOf(now));
    const pastMidnight = await runner('past-midnight@warm.test', zone);
    const fresh = await runner('fresh@warm.test', 'America/New_York');
    // Stored a minute before the runner's local midnight (as the daily evaluation would, hours earlier), and one stored now.
    await refreshAt(pastMidnight, new Date(todayStart - 60_000));
    await refreshAt(fresh, now);
    const before = { pastMidnight: await rows(pastMidnight), fresh: await rows(fresh) };
    expect(before.pastMidnight.map((row) => row.validUntil.getTime())).toEqual([todayStart, todayStart]);

    const summaries = worker.get(RunnerLoadSummariesRepository);
    expect((await summaries.staleAt(now, null, 100)).map((stale) => stale.userId)).toEqual([pastMidnight]);

    // Another worker holds the warm-up: this one skips the round and writes nothing.
    expect(await summaries.whileWarming(() => store.warmStale(now))).toBeNull();
    expect(await rows(pastMidnight)).toEqual(before.pastMidnight);

    // The cron only queues, one job per quarter hour however often (or by however many workers) it fires; the job warms.
    const cron = worker.get(LoadSummariesCron);
    const slot = new Date(Math.floor(now.getTime() / 900_000) * 900_000).toISOString();
    await cron.schedule(now);
    await cron.schedule(now);
    await cron.schedule(new Date(Date.parse(slot) + 14 * 60_000));
    const queue = worker.get(JobQueue).queue('load-summaries');
    const jobId = loadSummariesJobId(slot);
    expect(jobId).toMatch(/^load-summaries-\d{4}-\d\d-\d\dT\d\d-(00|15|30|45)$/);
    const done = await waitFor(`the ${jobId} job to complete`, async () => {
      const job = await queue.getJob(jobId);
      return (await job?.isCompleted()) && job;
    });
    expect(done.data).toEqual({ slot });
    expect(done.returnvalue).toEqual({ runners: 1, failed: 0 });
    expect((await queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])).map((job) => job.id)).toEqual([jobId]);
    const after = await rows(pastMidnight);
    expect(after).toHaveLength(2);
    for (const row of after) {
      expect(row.validFrom.getTime()).toBeGreaterThanOrEqual(todayStart);
      expect(row.validFrom.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(row.validUntil.getTime()).toBeGreaterThan(now.getTime());
      expect(row.timezone).toBe(zone);
    }
    after.forEach((row, index) => expect(row.computedAt.getTime()).toBeGreaterThan(before.pastMidnight[index].computedAt.getTime()));
    expect(await rows(fresh)).toEqual(before.fresh);

    // What it stored is what the team page computes for today from scratch.
    await db.query(`DELETE FROM runner_load_summaries WHERE user_id = $1`, [pastMidnight]);
    await refreshAt(pastMidnight, now);
    expect((await rows(pastMidnight)).map(({ summary, validFrom, validUntil }) => ({ summary, validFrom, validUntil }))).toEqual(
      after.map(({ summary, validFrom, validUntil }) => ({ summary, validFrom, validUntil })),
    );

    // Nothing stale is left: the next round finds no runner.
    expect(await summaries.staleAt(now, null, 100)).toEqual([]);
    expect(await store.warmStale(now)).toEqual({ runners: 0, failed: 0 });
    expect(await rows(fresh)).toEqual(before.fresh);
  });

  it('finds a runner whose zone changed, and pages through many stale runners in batches', async () => {
    const moved = await runner('moved@warm.test', 'Europe/Oslo');
    await refreshAt(moved, now);
    expect((await worker.get(RunnerLoadSummariesRepository).staleAt(now, null, 100)).map((stale) => stale.userId)).toEqual([]);
    await db.query(`UPDATE users SET timezone = 'Asia/Tokyo' WHERE id = $1`, [moved]);
    expect(await worker.get(RunnerLoadSummariesRepository).staleAt(now, null, 100)).toEqual([
      { userId: moved, timezone: 'Asia/Tokyo', syncedThrough: now },
    ]);

    const yesterday = new Date(now.getTime() - 2 * 86_400_000);
    const others = [];
    for (let index = 0; index < 5; index++) {
      const id = await runner(`batch-${index}@warm.test`, 'UTC');
      await refreshAt(id, yesterday);
      others.push(id);
    }
    expect(await store.warmStale(now, 2)).toEqual({ runners: 6, failed: 0 });
    for (const id of [moved, ...others]) {
      const stored = await rows(id);
      expect(stored).toHaveLength(2);
      for (const row of stored) expect(row.validUntil.getTime()).toBeGreaterThan(now.getTime());
    }
    expect((await rows(moved)).map((row) => row.timezone)).toEqual(['Asia/Tokyo', 'Asia/Tokyo']);
  });

  it('goes on past a runner whose figures cannot be computed', async () => {
    const broken = await runner('broken-zone@warm.test', 'UTC');
    const fine = await runner('fine@warm.test', 'UTC');
    const yesterday = new Date(now.getTime() - 2 * 86_400_000);
    await refreshAt(broken, yesterday);
    await refreshAt(fine, yesterday);
    // A zone no time zone database knows (nothing in the schema prevents it).
    await db.query(`UPDATE users SET timezone = 'Mars/Olympus_Mons' WHERE id = $1`, [broken]);
    const before = await rows(broken);

    expect(await store.warmStale(now, 50)).toEqual({ runners: 2, failed: 1 });
    expect(await rows(broken)).toEqual(before);
    for (const row of await rows(fine)) expect(row.validUntil.getTime()).toBeGreaterThan(now.getTime());
    await db.query(`DELETE FROM users WHERE id = $1`, [broken]);
  });
});
