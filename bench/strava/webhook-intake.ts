/**
 * Webhook intake: events/s and latency of POST /webhooks/strava on the compiled api running as
 * its own process (as in production). Then every event is delivered again, concurrently (Strava's
 * retries), and each must be in the inbox once and queued exactly once.
 *
 *   npm run build && node -r ./bench/support/register.js bench/strava/webhook-intake.ts [events=10000] [concurrency=100]
 *
 * Targets (DESIGN.md → Performance): ≥ 3,000 events/s and p99 ≤ 100 ms at 100 connections, every
 * event in the inbox once and queued once; exits 1 on a miss.
 *
 * BENCH_API_ENTRY (a path from the repository root) runs another compiled api, e.g. a build of the
 * main branch, to compare before and after in one session. API_PROCESSES=N runs the api as N
 * processes (node:cluster, one port); the api CPU counted is that of the primary and its workers.
 * BENCH_API_NODE_ARGS (space-separated) go to the api's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { loadavg } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { freePort } from '../../test/support/ports';
import { startCompiled } from '../../test/support/processes';
import { percentile } from '../support/options';
import { RawConnection } from '../support/raw-http';
import { benchEnv } from '../support/environment';
import { runBench, Target } from '../support/targets';

const SUBSCRIPTION_ID = 777_001;

/**
 * CPU seconds a process and its children (cluster workers) have used (user + system), from /proc:
 * the api's own cost, apart from the load generator's.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const own = (Number(fields[11]) + Number(fields[12])) / 100;
  return own + childPids(pid).reduce((sum, child) => sum + cpuSeconds(child), 0);
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function event(i: number): string {
  return JSON.stringify({
    aspect_type: 'create',
    event_time: 1_760_000_000 + i,
    object_id: 10_000_000_000 + i,
    object_type: 'activity',
    owner_id: 5_000 + (i % 300),
    subscription_id: SUBSCRIPTION_ID,
    updates: {},
  });
}

/** `concurrency` keep-alive connections (RawConnection: a cheap client, the cores are the api's), each posting the next body once answered. */
async function deliverAll(port: number, bodies: string[], concurrency: number) {
  const connections = await Promise.all(Array.from({ length: concurrency }, () => RawConnection.open(port)));
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    connections.map(async (connection) => {
      while (next < bodies.length) {
        const sent = performance.now();
        const status = await connection.post('/webhooks/strava', bodies[next++]);
        latencies.push(performance.now() - sent);
        if (status !== 200) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const connection of connections) connection.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: bodies.length,
    failures,
    perSecond: Math.round(bodies.length / seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
  };
}

async function main(): Promise<Target[]> {
  const events = Number(process.argv[2] ?? 10_000);
  const concurrency = Number(process.argv[3] ?? 100);
  const bench = await benchEnv();
  const db = await new DataSource(dataSourceOptions(bench.env.DATABASE_URL)).initialize();
  await db.query(`INSERT INTO strava_push_subscriptions (id, callback_url) VALUES ($1, 'http://127.0.0.1/webhooks/strava')`, [
    SUBSCRIPTION_ID,
  ]);
  const port = await freePort();
  const api = startCompiled(
    process.env.BENCH_API_ENTRY ?? 'dist/apps/api/src/main.js',
    [],
    {
      ...bench.env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(process.env.API_PROCESSES ? { API_PROCESSES: process.env.API_PROCESSES } : {}),
    },
    (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  // The api's own Redis (REDIS_URL, database number included) and prefix.
  const redis = new Redis(bench.env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('strava-event', { connection: redis, prefix: bench.env.REDIS_KEY_PREFIX });
  try {
    await api.waitForOutput(/Deload api listening on/, 90_000);
    await deliverAll(
      port,
      Array.from({ length: 500 }, (_, i) => event(-1 - i)),
      concurrency,
    );
    const bodies = Array.from({ length: events }, (_, i) => event(i));
    const pid = api.child.pid!;
    const measured = async (list: string[]) => {
      const cpuBefore = cpuSeconds(pid);
      const result = await deliverAll(port, list, concurrency);
      const apiCpu = cpuSeconds(pid) - cpuBefore;
      return { ...result, apiCpuSeconds: +apiCpu.toFixed(2), perApiCpuSecond: Math.round(list.length / apiCpu) };
    };
    const fresh = await measured(bodies);
    // Every event again, in another order, while others are in flight: Strava's retries.
    const retries = await measured([...bodies].reverse());
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM webhook_events WHERE provider = 'strava'`);
    const jobs = await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    const expected = events + 500;
    console.log(
      JSON.stringify(
        {
          events,
          concurrency,
          apiProcesses: Number(process.env.API_PROCESSES ?? 1),
          loadAverage: loadavg().map((l) => +l.toFixed(2)),
          fresh,
          retries,
          inboxRows: count,
          queuedJobs: jobs,
        },
        null,
        2,
      ),
    );
    const line = (r: typeof fresh) =>
      `${r.perSecond}/s wall (${r.perApiCpuSecond} per api CPU-second), p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.failures} failed`;
    console.log(`new events: ${line(fresh)}`);
    console.log(`retried deliveries: ${line(retries)}`);
    console.log(
      `${expected} events delivered ${2 * expected - 500} times → ${count} inbox rows, ${jobs} jobs (exactly once: ${count === expected && jobs === expected})`,
    );
    return [
      { measure: `new events/s at ${concurrency} connections`, value: fresh.perSecond, unit: 'events/s', atLeast: 3_000 },
      { measure: `p99 of new events at ${concurrency} connections`, value: +fresh.p99.toFixed(1), unit: 'ms', atMost: 100 },
      { measure: 'requests not answered 200', value: fresh.failures + retries.failures, unit: 'requests', atMost: 0 },
      {
        measure: 'events not stored and queued exactly once',
        value: Math.abs(count - expected) + Math.abs(jobs - expected),
        unit: 'events',
        atMost: 0,
      },
    ];
  } finally {
    await queue.close();
    redis.disconnect();
    await api.stop();
    await db.destroy();
    await bench.cleanup();
  }
}

runBench('strava/webhook-intake', main);
