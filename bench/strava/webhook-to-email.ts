/**
 * End to end, DESIGN.md → Performance "webhook → alert email delivered, p95 < 5 s": Strava posts
 * a webhook for a new run that is far longer than anything the runner did in the last 30 days;
 * the api stores the event, the worker fetches the activity from (the fake) Strava, stores the
 * run, evaluates the runner and sends the alert email over SMTP. Measured from the webhook POST
 * to the SMTP server holding the email. Everything is the real api and worker (in this process),
 * on a throwaway database and Redis prefix, against the fake Strava and a local smtp-server.
 *
 *   node -r ./bench/support/register.js bench/strava/webhook-to-email.ts [--runners 40] [--interval 500] [--burst 20]
 *
 * Target: p95 < 5 s in the steady case, every runner exactly one email; exits 1 on a miss.
 *
 * steady: one runner's webhook every `interval` ms (the live case); burst: `burst` runners' webhooks
 * at the same moment. Each runner gets one email at most (one alert email a day), so each sample
 * is a runner of its own.
 */
import 'reflect-metadata';
import { SmtpSink } from '../../test/support/smtp-sink';
import { backfilledConnection, connectThroughRedirects, startStravaStack, StravaStack } from '../../test/support/strava-stack';
import { waitFor } from '../../test/support/wait';
import { argument, percentile } from '../support/options';
import { benchEnv } from '../support/environment';
import { runBench, Target } from '../support/targets';

const DAY_MS = 86_400_000;
const HISTORY_RUNS = 20;

interface Runner {
  athleteId: number;
  email: string;
}

/** Connects a runner whose history is an easy 8 km every other day for 40 days. */
async function connectRunner(stack: StravaStack, index: number): Promise<Runner> {
  const athleteId = 5_100_000 + index;
  stack.fake.addAthlete({ id: athleteId });
  for (let day = 1; day <= HISTORY_RUNS; day++)
    stack.fake.addActivity(athleteId, { distance: 8_000, start_date: new Date(Date.now() - day * 2 * DAY_MS).toISOString() });
  await connectThroughRedirects(stack, athleteId);
  const { user_id: userId } = await backfilledConnection(stack, athleteId, 60_000);
  // Strava gives no email address; the runner adds theirs on the settings page.
  const email = `runner-${index}@bench.example`;
  await stack.db.query(`UPDATE users SET email = $2 WHERE id = $1`, [userId, email]);
  return { athleteId, email };
}

async function settled(stack: StravaStack): Promise<void> {
  await waitFor(
    'the queues to drain',
    async () => {
      for (const name of ['strava-event', 'strava-backfill', 'strava-gear', 'evaluate', 'notify']) {
        const counts = await stack.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).some((count) => count > 0)) return false;
      }
      return true;
    },
    120_000,
  );
}

/** Posts the webhook of a 20 km run (2.5 × the longest of the last 30 days) and times it to the inbox. */
async function spikeToEmail(stack: StravaStack, sink: SmtpSink, runner: Runner): Promise<number> {
  const started = performance.now();
  await stack.fake.activityCreated(runner.athleteId, { distance: 20_000, start_date: new Date(Date.now() - 3_600_000).toISOString() });
  await sink.waitFor(() => sink.to(runner.email).length > 0, 60_000);
  return performance.now() - started;
}

function summary(label: string, latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (value: number) => `${Math.round(value)} ms`;
  return `${label}: n=${sorted.length} p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted.at(-1)!)}`;
}

async function main(): Promise<Target[]> {
  const runnerCount = argument('runners', 40);
  const interval = argument('interval', 500);
  const burst = argument('burst', 20);
  const bench = await benchEnv();
  const sink = await new SmtpSink().start();
  const stack = await startStravaStack({
    fake: { limits: { short: 1e6, readShort: 1e6, daily: 1e7, readDaily: 1e7 } },
    env: { SMTP_URL: sink.url, LOG_LEVEL: 'silent' },
  });
  try {
    const runners: Runner[] = [];
    for (let index = 0; index < runnerCount + burst; index++) runners.push(await connectRunner(stack, index));
    await settled(stack);
    const before = sink.messages.length;

    const steady: number[] = [];
    const pending: Promise<void>[] = [];
    for (const runner of runners.slice(0, runnerCount)) {
      pending.push(spikeToEmail(stack, sink, runner).then((latency) => void steady.push(latency)));
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
    await Promise.all(pending);
    const atOnce = await Promise.all(runners.slice(runnerCount).map((runner) => spikeToEmail(stack, sink, runner)));
    await settled(stack);

    const emailsPerRunner = runners.map((runner) => sink.to(runner.email).length);
    console.log(summary(`steady, one webhook every ${interval} ms`, steady));
    if (atOnce.length) console.log(summary(`burst, ${burst} webhooks at once`, atOnce));
    console.log(
      `emails: ${sink.messages.length - before} for ${runners.length} runners; ` +
        `runners with exactly one: ${emailsPerRunner.filter((count) => count === 1).length}; subjects: ` +
        [...new Set(sink.messages.slice(before).map((message) => message.subject?.replace(/\d+/g, 'N')))].join(' | '),
    );
    console.log(
      `load average: ${(await import('node:os'))
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
    );
    return [
      {
        measure: 'webhook → email p95, steady',
        value: Math.round(
          percentile(
            [...steady].sort((a, b) => a - b),
            95,
          ),
        ),
        unit: 'ms',
        atMost: 5_000,
      },
      {
        measure: 'runners without exactly one email',
        value: emailsPerRunner.filter((count) => count !== 1).length,
        unit: 'runners',
        atMost: 0,
      },
    ];
  } finally {
    await stack.stop();
    await sink.stop();
    await bench.cleanup();
  }
}

runBench('strava/webhook-to-email', main);
