/**
 * Alert email latency and throughput through the real worker: an alert is marked for sending
 * (as the evaluation does), `notify` is enqueued (AlertEmailRequests), and the worker renders it,
 * claims it in email_deliveries and delivers it over SMTP to a local smtp-server. Measured from
 * enqueue to the SMTP server receiving the message. Uses a throwaway database and Redis prefix
 * (support/environment.ts: the servers of DATABASE_URL and REDIS_URL), removed at the end.
 *
 * Targets: steady p95 < 5 s (DESIGN.md's end-to-end budget, of which this is a part), no email twice.
 *
 *   node -r ./bench/support/register.js bench/notify/alert-emails.ts [--steady 200] [--burst 500] [--interval 50]
 *
 * steady: one alert every `interval` ms (the live case behind DESIGN.md's "webhook → alert email,
 * p95 < 5 s"); burst: all at once (a backlog after an outage), for throughput.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { AlertNotifier, AlertEmailRequests } from '@deload/notify';
import { AlertEntity, UserEntity } from '@deload/persistence';
import { DataSource } from 'typeorm';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { argument, percentile } from '../support/options';
import { benchEnv } from '../support/environment';
import { runBench, Target } from '../support/targets';

const FACTS = { runId: 'r1', runDate: '2025-03-09', distanceM: 24_000, previousLongestM: 16_552, ratio: 1.45, lookbackDays: 30 };
const MESSAGE = {
  headline: 'Your 24 km run on Sunday was 45 % longer than anything in the 30 days before it (17 km).',
  explanation:
    'In a study of 5,205 runners, a single run more than 10 % longer than the longest of the previous 30 days came with a higher injury rate.',
  suggestions: ['Cut the next 7 days by 20–30 %.', 'Keep the runs easy and flat, and skip the long run this week.'],
  disclaimer: 'This is a suggestion based on your training log, not medical advice.',
};

async function main(): Promise<Target[]> {
  const suffix = randomBytes(3).toString('hex');
  const bench = await benchEnv();
  /** Arrival time per recipient, and Message-IDs seen (a second copy would show as a duplicate). */
  const arrivals = new Map<string, number>();
  const messageIds: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => (head += head.length < 4096 ? chunk.toString('utf8') : ''));
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) arrivals.set(rcpt.address, performance.now());
        messageIds.push(/^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '');
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const worker = await createWorkerApp({ ...bench.env, SMTP_URL: smtpUrl });
  const db = worker.get(DataSource);
  const requests = worker.get(AlertEmailRequests);

  async function alertFor(index: number, label: string): Promise<{ id: string; email: string }> {
    const users = db.getRepository(UserEntity);
    const user = await users.save(users.create({ email: `bench-${label}-${index}-${suffix}@example.test` }));
    const alerts = db.getRepository(AlertEntity);
    const alert = await alerts.save(
      alerts.create({
        userId: user.id,
        rule: 'single-run-spike',
        severity: 'caution',
        dedupeKey: 'run-r1',
        facts: FACTS,
        message: MESSAGE,
        state: 'open',
        firstSeenAt: new Date(),
        lastSeenAt: new Date(),
        notifyRequestedAt: new Date(),
      }),
    );
    return { id: alert.id, email: user.email };
  }

  async function measure(label: string, count: number, intervalMs: number) {
    const prepared = await Promise.all(Array.from({ length: count }, (_, i) => alertFor(i, label)));
    const enqueuedAt = new Map<string, number>();
    const started = performance.now();
    for (const alert of prepared) {
      enqueuedAt.set(alert.email, performance.now());
      await requests.enqueue([alert.id]);
      if (intervalMs) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    while (prepared.some((alert) => !arrivals.has(alert.email))) await new Promise((resolve) => setTimeout(resolve, 5));
    const finished = performance.now();
    const latencies = prepared.map((alert) => arrivals.get(alert.email)! - enqueuedAt.get(alert.email)!).sort((a, b) => a - b);
    const duplicates = messageIds.length - new Set(messageIds).size;
    console.log(
      `${label}: ${count} alert emails, ${intervalMs ? `one every ${intervalMs} ms` : 'all at once'}: latency p50 ${Math.round(percentile(latencies, 50))} ms, ` +
        `p95 ${Math.round(percentile(latencies, 95))} ms, max ${Math.round(latencies[latencies.length - 1])} ms; ` +
        `${Math.round(count / ((finished - started) / 1000))} emails/s; duplicates ${duplicates}`,
    );
    return { p95: Math.round(percentile(latencies, 95)), duplicates };
  }

  const renders = 2000;
  const sample = await alertFor(0, 'render');
  const notifier = worker.get(AlertNotifier);
  const alert = await db.getRepository(AlertEntity).findOneByOrFail({ id: sample.id });
  const user = await db.getRepository(UserEntity).findOneByOrFail({ id: alert.userId });
  await db.query(`UPDATE alerts SET notify_requested_at = NULL WHERE id = $1`, [alert.id]);
  notifier.compose(alert, user);
  const renderStart = performance.now();
  for (let i = 0; i < renders; i++) notifier.compose(alert, user);
  console.log(`render: ${((performance.now() - renderStart) / renders).toFixed(2)} ms per alert email (HTML with inlined CSS + text)`);

  try {
    const steady = await measure('steady', argument('steady', 200), argument('interval', 50));
    const burst = await measure('burst', argument('burst', 500), 0);
    return [
      { measure: 'alert email latency p95, steady', value: steady.p95, unit: 'ms', atMost: 5_000 },
      { measure: 'emails sent twice', value: burst.duplicates, unit: 'emails', atMost: 0 },
    ];
  } finally {
    await worker.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await bench.cleanup();
  }
}

runBench('notify/alert-emails', main);
