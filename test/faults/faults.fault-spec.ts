import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { buildFitRun } from '../support/fit-files';
import { waitFor } from '../support/wait';
import { FaultLab, Runner } from './lab';

const DAY = 86_400_000;

/** Milliseconds to answer, of webhook deliveries from `from` on: max and 99th percentile. */
function latency(deliveries: { ms: number }[]): string {
  const sorted = deliveries.map((delivery) => delivery.ms).sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
  return `p99 ${Math.round(p99)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms over ${sorted.length} webhooks`;
}

/**
 * Issue 17, "nothing lost under faults": Deload runs as an operator runs it (see FaultLab) while
 * each fault is injected under load, and every scenario counts: runs expected = runs stored,
 * webhooks sent = runs, alert emails expected = delivered exactly once (by Message-ID at the SMTP
 * server), and nothing left pending anywhere.
 */
describe('Deload under faults', () => {
  let lab: FaultLab;
  /** Runners without history or email address: webhook load whose runs are counted (no rule can speak for them). */
  let load: Runner[];
  const report: string[] = [];

  beforeAll(async () => {
    lab = await FaultLab.start();
    load = await lab.addRunners(4, { history: false, withEmail: false });
  }, 300_000);
  afterEach(() => lab.heal());
  afterAll(async () => {
    process.stdout.write(`\nfault suite figures:\n${report.map((line) => `  ${line}`).join('\n')}\n`);
    if (lab) process.stdout.write(`logs of the api and worker processes: ${lab.saveLogs()}\n`);
    await lab?.close();
  });

  /**
   * Every runner has all its Strava activities stored and exactly one alert email (its long run),
   * under one Message-ID. A second copy under that Message-ID is allowed only for an email whose
   * ledger row records an interrupted attempt (the process died after the server accepted the
   * email and before that was recorded: sent again with the same Message-ID, which receivers
   * de-duplicate on). Returns how many such second copies there were.
   */
  async function expectComplete(runners: Runner[]): Promise<number> {
    let resent = 0;
    for (const runner of runners) {
      const stored = await lab.storedActivities(runner);
      const missing = runner.activityIds.filter((id) => !stored.has(id));
      expect({ runner: runner.athleteId, missing, stored: stored.size }).toEqual({
        runner: runner.athleteId,
        missing: [],
        stored: runner.activityIds.length,
      });
      const copies = lab.alertEmailsTo(runner);
      expect({ runner: runner.athleteId, emails: copies.size }).toEqual({ runner: runner.athleteId, emails: 1 });
      const [[messageId, count]] = [...copies];
      const { rows } = await lab.db.query(`SELECT status, interrupted_attempts FROM email_deliveries WHERE message_id = $1`, [messageId]);
      expect(rows).toEqual([{ status: 'sent', interrupted_attempts: expect.any(Number) }]);
      expect(count).toBeLessThanOrEqual(1 + rows[0].interrupted_attempts);
      resent += count - 1;
    }
    return resent;
  }

  /** Every webhook of the load was stored as a run. */
  async function expectLoadStored(): Promise<void> {
    for (const runner of load) {
      const stored = await lab.storedActivities(runner);
      expect({ runner: runner.athleteId, missing: runner.activityIds.filter((id) => !stored.has(id)) }).toEqual({
        runner: runner.athleteId,
        missing: [],
      });
    }
  }

  /** A burst of load and the long runs of `runners`: every webhook must be taken on Strava's first try. Returns their deliveries. */
  async function webhooksDuringOutage(runners: Runner[]) {
    const from = lab.fake.deliveries.length;
    const [burst] = await Promise.all([lab.burst(load, 200), ...runners.map((runner) => lab.longRun(runner))]);
    const during = lab.fake.deliveries.slice(from);
    expect(burst).toEqual(Array(200).fill(200));
    expect(during.filter((delivery) => delivery.status !== 200)).toEqual([]);
    return during;
  }

  it('a worker killed -9 twice in a webhook burst, once between an email claim and the SMTP server’s answer', async () => {
    const runners = await lab.addRunners(8);
    const held = lab.sink.holdNext();
    const burst = lab.burst(load, 150);
    await Promise.all(runners.map((runner) => lab.longRun(runner)));
    await held; // a worker handed an alert email to the server, which has not answered yet
    const heldTo = lab.sink.heldTo!;
    await lab.worker!.stop('SIGKILL');
    await lab.startWorker();
    // The second kill lands as an email arrives: maybe after the server accepted one and before the worker recorded it.
    await waitFor('some alert emails', () => lab.sink.messages.length >= 2, 150_000);
    await lab.worker!.stop('SIGKILL');
    await lab.startWorker();
    expect(await burst).toEqual(Array(150).fill(200));
    report.push(`worker kill -9 ×2: caught up ${await lab.caughtUp()} ms after the second restart`);
    await expectLoadStored();
    const resent = await expectComplete(runners);
    report.push(
      `worker kill -9 ×2: ${runners.length} runners, ${runners.length} alert emails, ${resent} sent again under the same Message-ID`,
    );
    // The email cut off before the server's answer was sent again and arrived exactly once.
    const heldRunner = runners.find((runner) => lab.emailOf(runner) === heldTo)!;
    expect([...lab.alertEmailsTo(heldRunner).values()]).toEqual([1]);
    const { rows } = await lab.db.query(`SELECT interrupted_attempts FROM email_deliveries WHERE user_id = $1 AND kind = 'alert'`, [
      heldRunner.userId,
    ]);
    expect(rows).toEqual([{ interrupted_attempts: 1 }]);
  });

  it('Redis killed -9 in a webhook burst, then restarted from its append-only file', async () => {
    const runners = await lab.addRunners(8);
    await Promise.all(runners.slice(0, 4).map((runner) => lab.longRun(runner)));
    await lab.redis.kill();
    const during = await webhooksDuringOutage(runners.slice(4)); // stored in the inbox
    const login = await fetch(`${lab.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: lab.emailOf(runners[0]) }),
    });
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ error: 'unavailable' });
    const health = await fetch(`${lab.url}/health`);
    expect(health.status).toBe(503);
    report.push(`Redis down: webhooks answered 200, ${latency(during)}; login 503; /health 503`);
    await lab.redis.restart();
    report.push(`Redis kill -9: caught up ${await lab.caughtUp()} ms after the restart`);
    await expectLoadStored();
    await expectComplete(runners);
    expect((await fetch(`${lab.url}/health`)).status).toBe(200);
  });

  it('PostgreSQL crashed in a webhook burst (immediate shutdown), then restarted', async () => {
    const runners = await lab.addRunners(8);
    await Promise.all(runners.slice(0, 4).map((runner) => lab.longRun(runner)));
    await lab.pg.crash();
    const during = await webhooksDuringOutage(runners.slice(4)); // spooled on disk
    expect(readdirSync(lab.env.SPOOL_DIR).length).toBeGreaterThan(0);
    const health = await fetch(`${lab.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { database: { status: 'down' } } });
    report.push(`PostgreSQL down: webhooks spooled and answered 200, ${latency(during)}; /health 503`);
    await lab.pg.restart();
    report.push(`PostgreSQL crash: caught up ${await lab.caughtUp()} ms after the restart`);
    await expectLoadStored();
    await expectComplete(runners);
  });

  it('SMTP down while alerts are due: every email goes out once, soon after the server answers again', async () => {
    const runners = await lab.addRunners(6);
    await lab.sink.stop();
    await Promise.all(runners.map((runner) => lab.longRun(runner)));
    await waitFor(
      'every alert email to have failed at least twice',
      async () => {
        const { rows } = await lab.db.query(
          `SELECT count(*)::int AS n FROM email_deliveries WHERE user_id = ANY($1) AND kind = 'alert' AND status = 'failed' AND attempts >= 2`,
          [runners.map((runner) => runner.userId)],
        );
        return rows[0].n === runners.length;
      },
      180_000,
    );
    const back = Date.now();
    await lab.sink.start(lab.smtpPort);
    await waitFor('the alert emails after SMTP is back', () => runners.every((runner) => lab.alertEmailsTo(runner).size === 1), 120_000);
    report.push(
      `SMTP outage: all ${runners.length} waiting alert emails delivered ${Date.now() - back} ms after the server answered again`,
    );
    await lab.caughtUp();
    expect(await expectComplete(runners)).toBe(0);
  });

  it('the worker stopped with SIGTERM under load finishes its jobs and loses no follow-up', async () => {
    const runners = await lab.addRunners(8);
    const burst = lab.burst(load, 150);
    await Promise.all(runners.map((runner) => lab.longRun(runner)));
    await waitFor(
      'the first run of the burst',
      async () => (await lab.storedActivities(runners[0])).size === runners[0].activityIds.length,
    );
    const logged = lab.worker!.stdout.length;
    const stopped = await lab.worker!.stop('SIGTERM');
    const shutdown = stopped.stdout.slice(logged);
    expect(shutdown).toMatch(/shutting down on SIGTERM[\s\S]*stopped: connections closed/);
    // Running jobs finished with their connections: none failed, no follow-up had to wait for another process.
    expect(shutdown).not.toMatch(/"level":50|Connection is closed|follow-ups of \d+ events wait|follow-ups left/);
    await lab.startWorker();
    expect(await burst).toEqual(Array(150).fill(200));
    report.push(`worker SIGTERM: caught up ${await lab.caughtUp()} ms after the restart`);
    await expectLoadStored();
    expect(await expectComplete(runners)).toBe(0);
  });

  it('uploads cut off or stalled half-way store nothing and leave no temporary files; complete ones store their run once', async () => {
    const [runner] = await lab.addRunners(1);
    const headers = await lab.signIn(lab.emailOf(runner));
    const fit = (day: number) =>
      Buffer.from(buildFitRun({ start: new Date(Date.now() - (40 + day) * DAY), distanceM: 5000 + day, durationS: 1800 }));
    const upload = (bytes: Buffer, name: string) => {
      const body = new FormData();
      body.append('file', new Blob([bytes]), name);
      return fetch(`${lab.url}/api/runs/files`, { method: 'POST', headers, body });
    };
    /** Sends the headers and half the body, then aborts (`stall`: keeps the connection open, sending nothing). */
    const cutOff = (bytes: Buffer, stall: boolean) =>
      new Promise<void>((resolve) => {
        const boundary = 'faultsuiteboundary';
        const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.fit"\r\nContent-Type: application/octet-stream\r\n\r\n`;
        const total = Buffer.byteLength(head) + bytes.length + Buffer.byteLength(`\r\n--${boundary}--\r\n`);
        const req = request(`${lab.url}/api/runs/files`, {
          method: 'POST',
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': total },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.on('response', (response) => response.resume().on('end', resolve));
        req.write(head);
        req.write(bytes.subarray(0, bytes.length / 2));
        if (!stall) setTimeout(() => req.destroy(), 200);
      });
    const complete = [1, 2, 3, 4, 5].map((day) => upload(fit(day), `run-${day}.fit`));
    const broken = [6, 7, 8, 9].map((day) => cutOff(fit(day), false));
    await Promise.all([...complete, ...broken, cutOff(fit(10), true)]); // the stalled one ends when the api drops it (30 s)
    for (const response of await Promise.all(complete)) expect(response.status).toBe(202);
    // Taken at once; the worker imports them.
    await waitFor('the worker to import the five complete uploads', async () => {
      const done = await lab.db.query(`SELECT count(*)::int AS n FROM uploads WHERE user_id = $1 AND status = 'done'`, [runner.userId]);
      return done.rows[0].n === 5;
    });
    const { rows } = await lab.db.query(`SELECT status, count(*)::int AS n FROM import_files WHERE user_id = $1 GROUP BY status`, [
      runner.userId,
    ]);
    expect(rows).toEqual([{ status: 'imported', n: 5 }]);
    const runs = await lab.db.query(`SELECT count(*)::int AS n FROM runs WHERE user_id = $1 AND source = 'fit'`, [runner.userId]);
    expect(runs.rows[0].n).toBe(5);
    await waitFor(
      'no temporary upload folder left',
      () => readdirSync(lab.env.TMPDIR).filter((name) => name.startsWith('deload-upload-')).length === 0,
    );
    report.push('uploads: 5 complete stored once; 4 cut off and 1 stalled stored nothing, temporary folders removed');
  });

  it('the import folder: SIGTERM stops between files, SIGKILL mid-file is taken back at the next start; every file imported once', async () => {
    const [runner] = await lab.addRunners(1);
    const folder = join(lab.env.IMPORT_DIR, lab.emailOf(runner));
    mkdirSync(folder);
    const files = 240;
    for (let i = 0; i < files; i += 1) {
      const bytes = buildFitRun({ start: new Date(Date.now() - (60 + i) * DAY), distanceM: 4000 + i, durationS: 1500, recordEveryS: 60 });
      writeFileSync(join(folder, `run-${i}.fit`), bytes);
    }
    const done = () => (existsSync(join(folder, 'done')) ? readdirSync(join(folder, 'done')).length : 0);
    await waitFor('the import to start', () => done() >= 5, 60_000);
    const stopped = await lab.worker!.stop('SIGTERM');
    expect(stopped.stdout).toMatch(/stopped: connections closed/);
    const left = files - done();
    expect(left).toBeGreaterThan(0); // it stopped between files instead of working through the backlog
    await lab.startWorker();
    await waitFor('the import to go on', () => done() >= files - left + 5, 60_000);
    await lab.worker!.stop('SIGKILL');
    await lab.startWorker();
    await waitFor('every file imported', () => done() === files, 120_000);
    expect(readdirSync(join(folder, '.processing')).filter((name) => readdirSync(join(folder, '.processing', name)).length)).toEqual([]);
    const runs = await lab.db.query(`SELECT count(*)::int AS n FROM runs WHERE user_id = $1`, [runner.userId]);
    expect(runs.rows[0].n).toBe(runner.activityIds.length + files);
    const { rows } = await lab.db.query(
      `SELECT status, count(*)::int AS n FROM import_files WHERE user_id = $1 GROUP BY status ORDER BY status`,
      [runner.userId],
    );
    // A file cut off by SIGKILL after its run committed is imported again as a duplicate of itself: at most that one.
    expect(rows.find((row: { status: string }) => row.status === 'imported').n).toBeGreaterThanOrEqual(files - 1);
    expect(rows.reduce((sum: number, row: { n: number }) => sum + row.n, 0)).toBeLessThanOrEqual(files + 1);
    report.push(
      `import folder: ${files} files, SIGTERM left ${left} for the next start, SIGKILL mid-file taken back at once; runs = files`,
    );
  });

  it('nothing stuck, every email sent once, and every log line JSON (no bare stack traces, e.g. BullMQ "Missing lock")', async () => {
    await lab.caughtUp();
    await expectLoadStored();
    const webhooks = lab.fake.deliveries.filter((delivery) => delivery.status === 200).length;
    const { rows: runs } = await lab.db.query(`SELECT count(*)::int AS n FROM run_sources WHERE source = 'strava'`);
    const { rows: history } = await lab.db.query(
      `SELECT count(*)::int AS n FROM run_sources s JOIN runs r ON r.id = s.run_id WHERE s.source = 'strava' AND r.start_utc < now() - interval '35 days'`,
    );
    report.push(`in all: ${webhooks} webhooks answered 200; ${runs[0].n} Strava runs stored (history and webhooks)`);
    expect(history[0].n).toBeGreaterThan(0);
    // Emails: every one recorded sent arrived, under its Message-ID, once (twice only after an interrupted attempt); nothing else arrived.
    const { rows: sent } = await lab.db.query(`SELECT message_id, interrupted_attempts FROM email_deliveries WHERE status = 'sent'`);
    const copies = new Map<string, number>();
    for (const message of lab.sink.messages) copies.set(message.messageId ?? '', (copies.get(message.messageId ?? '') ?? 0) + 1);
    for (const row of sent as { message_id: string; interrupted_attempts: number }[]) {
      expect({ email: row.message_id, copies: Math.min(copies.get(row.message_id) ?? 0, 1) }).toEqual({ email: row.message_id, copies: 1 });
      expect(copies.get(row.message_id)).toBeLessThanOrEqual(1 + row.interrupted_attempts);
    }
    const recorded = new Set((sent as { message_id: string }[]).map((row) => row.message_id));
    const magicLinks = lab.sink.messages.filter((message) => !recorded.has(message.messageId ?? '')).map((message) => message.subject);
    expect(magicLinks.filter((subject) => subject !== 'Your Deload sign-in link')).toEqual([]);
    report.push(`in all: ${sent.length} emails recorded sent, each received (${lab.sink.messages.length - magicLinks.length} copies)`);
    const { rows } = await lab.db.query(`SELECT status, count(*)::int AS n FROM webhook_events GROUP BY status ORDER BY status`);
    expect(rows.filter((row: { status: string }) => row.status === 'pending' || row.status === 'failed')).toEqual([]);
    for (const name of ['strava-event', 'evaluate', 'notify']) expect(await lab.queue(name).getFailedCount()).toBe(0);
    const notJson = lab.appOutputLines().filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
  });
});
