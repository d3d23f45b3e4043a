import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { queueNames } from '../../libs/queue/src';
import { FakeStrava } from '../fake-strava';
import { freePort } from '../support/ports';
import { RunningProcess, startCompiled } from '../support/processes';
import { RedisServer } from '../support/redis-server';
import { SmtpSink } from '../support/smtp-sink';
import { connectThroughRedirects } from '../support/strava-stack';
import { waitFor } from '../support/wait';
import { PostgresCluster } from './postgres-cluster';

const DAY = 86_400_000;
/** The distances of a runner's history, repeating: varied enough that no rule speaks before the test's long run. */
const HISTORY_KM = [7, 9, 8, 6.5, 8.5];

export interface Runner {
  athleteId: number;
  userId: string;
  /** Strava activities of the runner (history and those the test added). */
  activityIds: number[];
}

/** What is left unfinished anywhere: all zero once the system has caught up. */
export interface Backlog {
  pendingEvents: number;
  outbox: number;
  unsentEmails: number;
  awaitingEmail: number;
  queued: number;
  spooled: number;
}

/**
 * Deload as an operator runs it, on loopback, with every dependency the suite's own: a PostgreSQL
 * cluster, a redis-server with append-only persistence, an SMTP server, a fake Strava, and the
 * compiled api and worker as processes (with cron) — so faults can be injected for real: kill -9,
 * SIGTERM, a crashed database, an SMTP outage. Nothing touches the machine's shared PostgreSQL or Redis.
 */
export class FaultLab {
  readonly dir = mkdtempSync(join(tmpdir(), 'deload-faults-'));
  readonly sink = new SmtpSink();
  readonly fake = new FakeStrava({ limits: { short: 60_000, readShort: 30_000, daily: 600_000, readDaily: 300_000 } });
  /** Every process started, with its role (the CLI prints plain text; the apps log JSON lines). */
  readonly processes: { role: 'api' | 'worker' | 'cli'; process: RunningProcess }[] = [];
  api?: RunningProcess;
  worker?: RunningProcess;
  env: Record<string, string> = {};
  url = '';
  db!: Pool;
  private queues = new Map<string, Queue>();
  private nextAthlete = 3_000_000 + Math.floor(Math.random() * 1_000_000);

  private constructor(
    readonly pg: PostgresCluster,
    readonly redis: RedisServer,
    readonly smtpPort: number,
    readonly apiPort: number,
  ) {}

  static async start(): Promise<FaultLab> {
    const [pg, redis] = await Promise.all([PostgresCluster.start(), RedisServer.start()]);
    const lab = new FaultLab(pg, redis, await freePort(), await freePort());
    await lab.sink.start(lab.smtpPort);
    await lab.fake.start();
    for (const folder of ['spool', 'outbox', 'tmp', 'import']) mkdirSync(join(lab.dir, folder));
    lab.url = `http://127.0.0.1:${lab.apiPort}`;
    lab.env = {
      NODE_ENV: 'production',
      SECRET_KEY: 'faults-secret-key-0123456789abcdef0123456789abcdef',
      DATABASE_URL: pg.url('deload'),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'deload',
      SMTP_URL: `smtp://127.0.0.1:${lab.smtpPort}`,
      MAIL_FROM: 'Deload <deload@faults.test>',
      PUBLIC_URL: lab.url,
      PORT: String(lab.apiPort),
      LOG_LEVEL: 'info',
      SPOOL_DIR: join(lab.dir, 'spool'),
      OUTBOX_DIR: join(lab.dir, 'outbox'),
      IMPORT_DIR: join(lab.dir, 'import'),
      TMPDIR: join(lab.dir, 'tmp'),
      ...lab.fake.env(),
    };
    await lab.startApi();
    lab.db = new Pool({ connectionString: pg.url('deload'), max: 4 });
    lab.db.on('error', () => undefined);
    await lab.cli('strava:subscribe');
    await lab.startWorker();
    return lab;
  }

  async startApi(): Promise<RunningProcess> {
    this.api = this.track('api', startCompiled('dist/apps/api/src/main.js', [], this.env));
    await this.api.waitForOutput(/Deload api listening on/, 60_000);
    return this.api;
  }

  async startWorker(): Promise<RunningProcess> {
    this.worker = this.track('worker', startCompiled('dist/apps/worker/src/main.js', [], this.env));
    await this.worker.waitForOutput(/Deload worker processing/, 60_000);
    return this.worker;
  }

  async cli(...args: string[]): Promise<string> {
    const finished = await this.track('cli', startCompiled('dist/apps/cli/src/main.js', args, this.env)).finished;
    if (finished.code !== 0) throw new Error(`deload ${args.join(' ')} failed: ${finished.stderr}`);
    return finished.stdout;
  }

  /**
   * Runners with ~5 weeks of varied Strava history (or none: `history: false`), connected through
   * the real OAuth flow, history imported and judged (no alert). They get an email address, as a
   * runner adds in their settings, unless `withEmail` is false (Strava gives none: nothing is sent).
   */
  async addRunners(count: number, options: { history?: boolean; withEmail?: boolean } = {}): Promise<Runner[]> {
    const runners: Runner[] = [];
    for (let i = 0; i < count; i += 1) {
      const athleteId = this.nextAthlete++;
      this.fake.addAthlete({ id: athleteId });
      const activityIds: number[] = [];
      for (let daysAgo = 36, n = 0; options.history !== false && daysAgo >= 2; daysAgo -= 2, n += 1) {
        const distance = HISTORY_KM[n % HISTORY_KM.length] * 1000;
        activityIds.push(this.fake.addActivity(athleteId, { distance, start_date: new Date(Date.now() - daysAgo * DAY).toISOString() }).id);
      }
      const { response } = await connectThroughRedirects(this, athleteId);
      if (response.status !== 303) throw new Error(`connecting athlete ${athleteId} answered ${response.status}`);
      runners.push({ athleteId, userId: '', activityIds });
    }
    const rows = await waitFor(
      `${count} history imports`,
      async () => {
        const found: { athlete_id: string; user_id: string }[] = (
          await this.db.query(
            `SELECT athlete_id, user_id FROM strava_connections WHERE athlete_id = ANY($1) AND backfilled_at IS NOT NULL`,
            [runners.map((runner) => runner.athleteId)],
          )
        ).rows;
        return found.length === count && found;
      },
      180_000,
    );
    for (const runner of runners) {
      runner.userId = rows.find((row) => Number(row.athlete_id) === runner.athleteId)!.user_id;
      // Strava gives no address: the runner adds one, as they would in their settings.
      if (options.withEmail !== false)
        await this.db.query(`UPDATE users SET email = $2 WHERE id = $1`, [runner.userId, `athlete-${runner.athleteId}@faults.test`]);
    }
    await this.caughtUp();
    return runners;
  }

  /** The long run that makes a runner's single-run-spike alert (14 km after nothing over 9 km): one webhook. */
  async longRun(runner: Runner): Promise<number> {
    const activity = await this.fake.activityCreated(runner.athleteId, {
      distance: 14_000,
      start_date: new Date(Date.now() - 3600_000).toISOString(),
    });
    runner.activityIds.push(activity.id);
    return activity.id;
  }

  /**
   * Load: `count` webhooks for new short runs of these runners (round robin, at most 20 in flight,
   * each delivered as Strava does, up to three tries). Returns the answer Strava got for each.
   */
  async burst(runners: Runner[], count: number): Promise<number[]> {
    const statuses: number[] = [];
    let next = 0;
    const sender = async () => {
      for (let i = next++; i < count; i = next++) {
        const runner = runners[i % runners.length];
        const activity = this.fake.addActivity(runner.athleteId, {
          distance: 3000 + (i % 7) * 500,
          start_date: new Date(Date.now() - (1 + (i % 20)) * DAY - i * 60_000).toISOString(),
        });
        runner.activityIds.push(activity.id);
        statuses[i] = await this.fake.deliver(this.fake.event(runner.athleteId, 'activity', activity.id, 'create'));
      }
    };
    await Promise.all(Array.from({ length: 20 }, sender));
    return statuses;
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const url = new URL(this.redis.url);
      queue = new Queue(name, { connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null }, prefix: 'deload' });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async backlog(): Promise<Backlog> {
    const { rows } = await this.db.query(`SELECT
        (SELECT count(*)::int FROM webhook_events WHERE status = 'pending') AS "pendingEvents",
        (SELECT count(*)::int FROM event_outbox) AS outbox,
        (SELECT count(*)::int FROM email_deliveries WHERE status IN ('sending', 'failed')) AS "unsentEmails",
        (SELECT count(*)::int FROM alerts WHERE state = 'open' AND notify_requested_at IS NOT NULL
            AND (notified_at IS NULL OR notified_at < notify_requested_at)) AS "awaitingEmail"`);
    let queued = 0;
    for (const name of queueNames()) {
      const counts = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      queued += Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    const spooled = readdirSync(this.env.SPOOL_DIR).length;
    return { ...rows[0], queued, spooled };
  }

  /** Waits until nothing is left to do anywhere (twice in a row, a second apart); returns how long that took. */
  async caughtUp(timeoutMs = 240_000): Promise<number> {
    const started = Date.now();
    let calm = 0;
    let last: Backlog | undefined;
    await waitFor(
      'the system to catch up',
      async () => {
        last = await this.backlog().catch(() => undefined);
        calm = last && Object.values(last).every((count) => count === 0) ? calm + 1 : 0;
        if (calm < 2) await new Promise((resolve) => setTimeout(resolve, 900));
        return calm >= 2;
      },
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; still open: ${JSON.stringify(last)}`);
    });
    return Date.now() - started;
  }

  /** Strava runs stored per runner (by activity id). */
  async storedActivities(runner: Runner): Promise<Set<number>> {
    const { rows } = await this.db.query(`SELECT external_id FROM run_sources WHERE user_id = $1 AND source = 'strava'`, [runner.userId]);
    return new Set(rows.map((row: { external_id: string }) => Number(row.external_id)));
  }

  /** Alert emails of a runner as the SMTP server received them, by Message-ID (each accepted copy counts). */
  alertEmailsTo(runner: Runner): Map<string, number> {
    const copies = new Map<string, number>();
    for (const message of this.sink.to(this.emailOf(runner))) {
      if (!message.messageId?.startsWith('<alert.')) continue;
      copies.set(message.messageId, (copies.get(message.messageId) ?? 0) + 1);
    }
    return copies;
  }

  emailOf(runner: Runner): string {
    return `athlete-${runner.athleteId}@faults.test`;
  }

  /** Every output line (stdout and stderr) of the api and worker processes the lab started, killed ones included. */
  appOutputLines(): string[] {
    return this.processes
      .filter(({ role }) => role !== 'cli')
      .flatMap(({ process }) => `${process.stdout}\n${process.stderr}`.split('\n'))
      .filter((line) => line.trim());
  }

  /**
   * Signs in through the magic link, as a browser would: the email, the link's page, the button.
   * Returns the headers of a signed-in API request (session cookie and CSRF token).
   */
  async signIn(email: string): Promise<Record<string, string>> {
    const before = this.sink.to(email).length;
    const asked = await fetch(`${this.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (asked.status !== 202) throw new Error(`sign-in link for ${email}: ${asked.status}`);
    await this.sink.waitFor(() => this.sink.to(email).length > before, 30_000);
    const link = this.sink
      .to(email)
      .at(-1)!
      .text!.match(/https?:\/\/\S+\/login\/verify\?token=\S+/)![0];
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    const html = await page.text();
    const [token, nonce] = ['token', 'nonce'].map((name) => html.match(new RegExp(`name="${name}" value="([^"]+)"`))![1]);
    const nonceCookie = page.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
    const verified = await fetch(`${this.url}/login/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: nonceCookie },
      body: new URLSearchParams({ token, nonce }),
    });
    const cookie = verified.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const me = await (await fetch(`${this.url}/me`, { headers: { cookie, accept: 'text/html' } })).text();
    const csrf = me.match(/<meta name="csrf-token" content="([^"]+)">/)![1];
    return { cookie, 'x-csrf-token': csrf };
  }

  /** After a scenario, whatever happened in it: every dependency up and a worker running, so the next scenario starts clean. */
  async heal(): Promise<void> {
    if (!this.redis.running) await this.redis.restart();
    if (!(await this.pg.isRunning())) await this.pg.restart();
    if (!this.sink.listening) await this.sink.start(this.smtpPort);
    if (!this.worker || this.worker.child.exitCode !== null || this.worker.child.signalCode !== null) await this.startWorker();
  }

  /** Writes every process's output to test-output/faults/ (for reading after a failure). */
  saveLogs(): string {
    const folder = join(__dirname, '..', '..', 'test-output', 'faults');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    this.processes.forEach(({ role, process }, index) =>
      writeFileSync(join(folder, `${String(index).padStart(2, '0')}-${role}.log`), `${process.stdout}\n--- stderr ---\n${process.stderr}`),
    );
    return folder;
  }

  async close(): Promise<void> {
    for (const { process } of this.processes) await process.stop('SIGKILL');
    for (const queue of this.queues.values()) await queue.close().catch(() => undefined);
    await this.db?.end().catch(() => undefined);
    await this.fake.stop();
    await this.sink.stop();
    await this.redis.kill();
    await this.pg.remove();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private track(role: 'api' | 'worker' | 'cli', process: RunningProcess): RunningProcess {
    this.processes.push({ role, process });
    return process;
  }
}
