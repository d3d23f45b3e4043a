/**
 * Strava's budget at club scale: N runners (default 1,000) for D days (default 30), each running
 * 5 times a week, against the fake Strava with Strava's default limits (reads 100 per quarter hour
 * and 1,000 a day; overall 200 and 2,000), access tokens living 6 h. Counts every request Deload
 * makes — activity details, shoes, athlete profiles, reconciliation lists and OAuth token
 * refreshes — and prints them per new activity, the peak per quarter hour and per day, and the
 * delay from a webhook to its stored run (p50/p95).
 *
 *   npm run build && node -r ./bench/support/register.js bench/strava/thousand-runners.ts [--runners 1000] [--days 30]
 *
 * How time is simulated: the real libs/strava services (StravaEventHandler, StravaShoes,
 * StravaReconciliation, StravaApi, StravaConnections, the Redis rate limiter and its budget
 * planner), the real PostgreSQL and Redis and the fake Strava over loopback all read one simulated
 * clock (StravaClock, FakeStrava `clock`), which this script moves from event to event instead of
 * waiting 30 days. What BullMQ and cron do in production, the script does on the simulated clock:
 * a webhook's event is handled when it arrives; a job the rate limiter sends back
 * (RetryLaterError) is run again at the time it names, like a delayed job; the two daily jobs
 * (shoes at 04:20 UTC, reconciliation at 04:40) are queued by their real services and run as
 * their processors would. Jobs due within the same five simulated minutes (never across a quarter
 * hour) run together, 24 at a time, at the latest of their times. A run's delay is the simulated
 * wait from the webhook to the time its job was due (budget deferrals) plus the real time its
 * handling took.
 *
 * With fewer runners the limits shrink in proportion (N/1,000 of Strava's), so the pressure on the
 * budget is the same. Targets (DESIGN.md → Performance): ≤ 1.0 request per new activity all-in;
 * peaks within Strava's limits; every run stored. Exits 1 on a miss.
 */
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuthModule } from '../../libs/auth/src';
import { ConfigModule } from '../../libs/config/src';
import { PersistenceModule } from '../../libs/persistence/src';
import { QueueModule, RedisClient, RetryLaterError } from '../../libs/queue/src';
import {
  GEAR_REFRESH_DAYS,
  RECONCILE_EVERY_DAYS,
  StravaClock,
  StravaConnections,
  StravaEventHandler,
  StravaModule,
  StravaOAuthClient,
  StravaReconciliation,
  StravaShoes,
  StravaWebhookInbox,
} from '../../libs/strava/src';
import { UsersService } from '../../libs/users/src';
import { seededRandom } from '../../libs/rules/test/synthetic-log';
import { FakeStrava } from '../../test/fake-strava';
import { benchEnv } from '../support/environment';
import { argument, percentile } from '../support/options';
import { runBench, Target } from '../support/targets';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const QUARTER = 15 * MINUTE;
const START = Date.UTC(2026, 9, 5); // a Monday, 00:00 UTC
const CONCURRENCY = 24;
const BATCH_MS = 5 * 60_000;

interface Runner {
  athleteId: number;
  userId: string;
  /** Hours east of UTC. */
  offsetH: number;
  shoes: string[];
  /** Day (0-based) on which a new pair, unknown to Deload, comes into use; -1: never. */
  newPairDay: number;
}

type Task =
  | { at: number; kind: 'webhook'; runner: Runner; startAt: number; distance: number; gearId: string }
  | { at: number; kind: 'event'; eventId: string; webhookAt: number; tries: number }
  | { at: number; kind: 'cron'; job: 'strava-gear' | 'strava-reconcile' }
  | { at: number; kind: 'gear' | 'reconcile'; userId: string; tries: number };

/** A binary heap of tasks by time. */
class Agenda {
  private readonly heap: Task[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(task: Task): void {
    const heap = this.heap;
    heap.push(task);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= heap[i].at) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }
  peek(): Task | undefined {
    return this.heap[0];
  }
  pop(): Task | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < heap.length && heap[l].at < heap[m].at) m = l;
        if (r < heap.length && heap[r].at < heap[m].at) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  }
}

async function main(): Promise<Target[]> {
  const runnersCount = argument('runners', 1000);
  const days = argument('days', 30);
  const runsPerWeek = argument('runs-per-week', 5);
  const scale = runnersCount / 1000;
  const limits = {
    short: Math.max(2, Math.round(200 * scale)),
    daily: Math.max(20, Math.round(2000 * scale)),
    readShort: Math.max(1, Math.round(100 * scale)),
    readDaily: Math.max(10, Math.round(1000 * scale)),
  };
  const rand = seededRandom(16); // the same month on every run
  let now = START - 2 * DAY;
  const clock = () => now;

  const perQuarter = new Map<number, number>();
  const perDay = new Map<number, number>();
  let counting = false;
  const fake = await new FakeStrava({
    clock,
    limits: { short: 1e9, daily: 1e9, readShort: 1e9, readDaily: 1e9 },
    onRequest: (endpoint, at) => {
      if (!counting || !endpoint.includes('/api/v3/')) return;
      perQuarter.set(Math.floor(at / QUARTER), (perQuarter.get(Math.floor(at / QUARTER)) ?? 0) + 1);
      perDay.set(Math.floor(at / DAY), (perDay.get(Math.floor(at / DAY)) ?? 0) + 1);
    },
  }).start();
  const bench = await benchEnv();
  let app: INestApplicationContext | undefined;
  try {
    @Module({
      imports: [
        ConfigModule.forRoot({
          ...bench.env,
          SPOOL_DIR: `/tmp/${bench.env.REDIS_KEY_PREFIX}-spool`,
          ...fake.env(),
          STRAVA_READ_LIMIT_15MIN: String(limits.readShort),
          STRAVA_READ_LIMIT_DAILY: String(limits.readDaily),
        }),
        PersistenceModule,
        QueueModule,
        AuthModule,
        StravaModule,
      ],
    })
    class SimulationModule {}
    app = await NestFactory.createApplicationContext(SimulationModule, { logger: false });
    app.get(StravaClock).now = clock;
    const db = app.get(DataSource);
    const redis = app.get(RedisClient);
    const oauth = app.get(StravaOAuthClient);
    const connections = app.get(StravaConnections);
    const shoes = app.get(StravaShoes);
    const reconciliation = app.get(StravaReconciliation);
    const inbox = app.get(StravaWebhookInbox);
    const handler = app.get(StravaEventHandler);

    // ── Runners connected long ago: their shoes stored, their history imported; their shoe list
    // and reconciliation last done at random points of the month and week before.
    const setupStarted = performance.now();
    const runners: Runner[] = [];
    for (let i = 0; i < runnersCount; i++) {
      const athleteId = 7_000_000 + i;
      // A club: most runners in one time zone, the rest spread.
      const offsetH = rand() < 0.7 ? 1 : Math.round(rand() * 20 - 8);
      fake.addAthlete({ id: athleteId });
      const shoeIds = [`g${athleteId}1`, `g${athleteId}2`];
      for (const id of shoeIds) fake.addGear(athleteId, { id, name: `Pair ${id}`, distance: 100_000 + Math.round(rand() * 500_000) });
      fake.authorizeNext({ athleteId });
      const redirect = await fetch(oauth.authorizeUrl('http://deload.bench/auth/strava/callback', 'state'), { redirect: 'manual' });
      const location = new URL(redirect.headers.get('location')!);
      const grant = await oauth.exchangeCode(location.searchParams.get('code')!);
      const user = await app.get(UsersService).findOrCreate(`runner${i}@bench.invalid`);
      await connections.saveGrant(user.id, String(athleteId), location.searchParams.get('scope')!.split(','), grant);
      runners.push({ athleteId, userId: user.id, offsetH, shoes: shoeIds, newPairDay: rand() < 0.1 ? Math.floor(rand() * days) : -1 });
    }
    await db.query(`UPDATE strava_connections SET backfilled_at = $1`, [new Date(now)]);
    // The setup is not limited (nor counted): our limiter learns the fake's unlimited setup budget at once.
    await redis.redis.hset(redis.key('{strava-rate}', 'limits'), 'short', 1e9, 'daily', 1e9);
    for (let i = 0; i < runners.length; i += CONCURRENCY) {
      await Promise.all(
        runners.slice(i, i + CONCURRENCY).map(async (runner) => {
          await shoes.refresh((await connections.byUser(runner.userId))!, 'webhook');
          await shoes.markRefreshed(runner.userId, START - Math.floor(rand() * GEAR_REFRESH_DAYS * DAY));
          await reconciliation.markReconciled(runner.userId, START - Math.floor(rand() * RECONCILE_EVERY_DAYS * DAY));
        }),
      );
    }
    // From here on Strava's limits, and no limits learnt from the setup's answers.
    Object.assign(fake.limits, limits);
    await redis.redis.del(redis.key('{strava-rate}', 'limits'));
    const setupS = (performance.now() - setupStarted) / 1000;

    // ── The month: when each runner runs, and when Strava's webhook for it arrives.
    const agenda = new Agenda();
    for (const runner of runners) {
      for (let day = 0; day < days; day++) {
        if (rand() >= runsPerWeek / 7) continue;
        const weekend = day % 7 >= 5;
        const slot = rand();
        const localHour = weekend
          ? 7.5 + rand() * 4
          : slot < 0.45
            ? 5.75 + rand() * 2
            : slot < 0.55
              ? 11.5 + rand() * 1.5
              : 16.5 + rand() * 4;
        const startAt = START + day * DAY + Math.floor((localHour - runner.offsetH) * HOUR);
        const distance = 5000 + Math.round(rand() * (weekend ? 20_000 : 10_000));
        const durationMs = Math.round(distance * (0.3 + rand() * 0.06)) * 1000;
        // The watch syncs when the runner is back (minutes), sometimes hours later.
        const u = rand();
        const syncMs = u < 0.8 ? (1 + rand() * 9) * MINUTE : u < 0.95 ? (10 + rand() * 110) * MINUTE : (2 + rand() * 10) * HOUR;
        const usesNewPair = runner.newPairDay >= 0 && day >= runner.newPairDay;
        const gearId = usesNewPair ? `g${runner.athleteId}new` : runner.shoes[Math.floor(rand() * runner.shoes.length)];
        agenda.push({ at: startAt + durationMs + syncMs, kind: 'webhook', runner, startAt, distance, gearId });
      }
    }
    const end = START + days * DAY;
    for (let day = 0; day < days; day++) {
      agenda.push({ at: START + day * DAY + 4 * HOUR + 20 * MINUTE, kind: 'cron', job: 'strava-gear' });
      agenda.push({ at: START + day * DAY + 4 * HOUR + 40 * MINUTE, kind: 'cron', job: 'strava-reconcile' });
    }

    fake.resetCounters();
    const refusedBefore = fake.refused;
    counting = true;
    const delays: number[] = [];
    let activities = 0;
    let webhooksSent = 0;
    let failures = 0;
    let deferrals = 0;
    let missingFound = 0;
    let cronJobs = 0;
    let handleMs = 0;
    const simStarted = performance.now();

    const retry = (task: Task, error: unknown): void => {
      if (error instanceof RetryLaterError) {
        deferrals += 1;
        agenda.push({ ...task, at: Math.max(error.at.getTime(), now + 1) } as Task);
      } else if ('tries' in task && task.tries < 5) {
        agenda.push({ ...task, at: now + MINUTE * 2 ** task.tries, tries: task.tries + 1 } as Task);
      } else {
        failures += 1;
        console.error(`gave up on a ${task.kind} task:`, (error as Error).message);
      }
    };

    const run = async (task: Task): Promise<void> => {
      switch (task.kind) {
        case 'webhook': {
          const { runner } = task;
          webhooksSent += 1;
          if (task.gearId.endsWith('new') && !fake.athletes.get(runner.athleteId)!.gear.has(task.gearId))
            fake.addGear(runner.athleteId, { id: task.gearId, name: 'New pair', distance: 0 });
          const activity = fake.addActivity(runner.athleteId, {
            start_date: new Date(task.startAt).toISOString(),
            utc_offset: runner.offsetH * 3600,
            distance: task.distance,
            moving_time: Math.round(task.distance * 0.3),
            elapsed_time: Math.round(task.distance * 0.32),
            gear_id: task.gearId,
          });
          await inbox.recordMissing(String(runner.athleteId), [String(activity.id)], new Date(now));
          const [{ id }] = await db.query(`SELECT id FROM webhook_events WHERE provider = 'strava' AND dedupe_key = $1`, [
            `reconcile-${activity.id}`,
          ]);
          agenda.push({ at: task.at, kind: 'event', eventId: id, webhookAt: task.at, tries: 0 });
          return;
        }
        case 'event': {
          const started = performance.now();
          try {
            const outcome = await handler.handle(task.eventId, false);
            if (outcome.status !== 'processed') throw new Error(`event ${task.eventId} ${outcome.status}: ${outcome.note}`);
            activities += 1;
            delays.push(task.at - task.webhookAt + (performance.now() - started));
            handleMs += performance.now() - started;
          } catch (error) {
            retry(task, error);
          }
          return;
        }
        case 'cron': {
          const day = new Date(now).toISOString().slice(0, 10);
          if (task.job === 'strava-gear') await shoes.queueDailyRefresh(day);
          else await reconciliation.queueDaily(day);
          const queue: Queue = app!.get(getQueueToken(task.job), { strict: false });
          for (const job of await queue.getJobs(['waiting', 'delayed', 'prioritized'])) {
            const userId = (job.data as { userId?: string }).userId;
            await job.remove();
            if (!userId) continue;
            cronJobs += 1;
            agenda.push({ at: now, kind: task.job === 'strava-gear' ? 'gear' : 'reconcile', userId, tries: 0 });
          }
          return;
        }
        case 'gear':
          try {
            await shoes.refreshForUser(task.userId);
          } catch (error) {
            retry(task, error);
          }
          return;
        case 'reconcile':
          try {
            missingFound += (await reconciliation.reconcileIfStillDue(task.userId)).missing;
          } catch (error) {
            retry(task, error);
          }
          return;
      }
    };

    while (agenda.size) {
      const first = agenda.peek()!;
      if (first.at >= end + 7 * DAY) break; // work still deferred a week after the month: reported as not stored
      // Tasks due within a few simulated minutes run together, never across a quarter hour (Strava's window).
      const until = Math.min(first.at + BATCH_MS, (Math.floor(first.at / QUARTER) + 1) * QUARTER);
      const batch: Task[] = [];
      while (agenda.size && agenda.peek()!.at < until && batch.length < CONCURRENCY) batch.push(agenda.pop()!);
      now = Math.max(now, batch[batch.length - 1].at);
      await Promise.all(batch.map(run));
    }
    counting = false;
    const simS = (performance.now() - simStarted) / 1000;

    const count = (endpoint: string) => fake.count(endpoint);
    const byEndpoint = {
      activityDetails: count('GET /api/v3/activities/{id}'),
      activityLists: count('GET /api/v3/athlete/activities'),
      athlete: count('GET /api/v3/athlete'),
      gear: count('GET /api/v3/gear/{id}'),
      tokenRefreshes: count('POST /oauth/token'),
    };
    const apiReads = fake.apiRequestCount();
    const allIn = apiReads + byEndpoint.tokenRefreshes;
    const sortedDelays = [...delays].sort((a, b) => a - b);
    const peakQuarter = Math.max(0, ...perQuarter.values());
    const peakDay = Math.max(0, ...perDay.values());
    const stored = Number((await db.query(`SELECT count(*) FROM run_sources WHERE source = 'strava'`))[0].count);
    const figures = {
      runners: runnersCount,
      days,
      limits,
      activities,
      webhooksNotStored: webhooksSent - activities,
      runsStored: stored,
      requests: { ...byEndpoint, apiReads, allIn, refused429: fake.refused - refusedBefore },
      perActivity: {
        allIn: +(allIn / activities).toFixed(3),
        apiReads: +(apiReads / activities).toFixed(3),
        details: +(byEndpoint.activityDetails / activities).toFixed(3),
        tokenRefreshes: +(byEndpoint.tokenRefreshes / activities).toFixed(3),
        shoes: +((byEndpoint.athlete + byEndpoint.gear) / activities).toFixed(3),
        reconciliation: +(byEndpoint.activityLists / activities).toFixed(3),
      },
      peakApiReadsPer15Min: peakQuarter,
      peakApiReadsPerDay: peakDay,
      delayS: { p50: +(percentile(sortedDelays, 50) / 1000).toFixed(1), p95: +(percentile(sortedDelays, 95) / 1000).toFixed(1) },
      budgetDeferrals: deferrals,
      tasksGivenUp: failures,
      dailyJobsRun: cronJobs,
      missingFoundByReconciliation: missingFound,
      handleMsMean: +(handleMs / Math.max(1, activities)).toFixed(1),
      seconds: { setup: +setupS.toFixed(1), simulation: +simS.toFixed(1) },
    };
    console.log(JSON.stringify(figures, null, 2));
    console.log(`API reads per new activity (what Strava's limits count; no target of its own): ${figures.perActivity.apiReads}`);
    return [
      {
        measure: 'Strava requests per new activity, all-in (API reads + OAuth refreshes)',
        value: allIn / activities,
        unit: 'requests',
        atMost: 1.0,
      },
      { measure: 'peak API reads in a quarter hour', value: peakQuarter, unit: 'requests', atMost: limits.readShort },
      { measure: 'peak API reads in a UTC day', value: peakDay, unit: 'requests', atMost: limits.readDaily },
      { measure: 'webhooks whose run was not stored', value: webhooksSent - activities, unit: 'runs', atMost: 0 },
      { measure: 'webhook → stored run p95', value: percentile(sortedDelays, 95) / 1000, unit: 's', atMost: 3600 },
    ];
  } finally {
    await app?.close();
    await fake.stop();
    await bench.cleanup();
  }
}

runBench('strava/thousand-runners', main);
