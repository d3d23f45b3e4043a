import { INestApplicationContext, Type } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { Outbox } from '../../libs/mail/src';
import { RateWindows, STRAVA_RATE_WINDOWS, StravaPushSubscriptions } from '../../libs/strava/src';
import { FakeStrava, FakeStravaOptions } from '../fake-strava';
import { launchChromium } from './browser';
import { freePort } from './ports';
import { RunningProcess, startNoCronWorker } from './processes';
import { deleteRedisKeys, isolatedRedisPrefix } from './redis-prefix';
import { SmtpSink } from './smtp-sink';
import { testEnv } from './test-env';

export interface StackOptions {
  /** Environment on top of `testEnv()` and of what the parts below set; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /**
   * Queues and rate-limit budget of the stack's own (a prefix under the run's, removed at stop),
   * when another worker of the same file, configured otherwise, must not take this stack's jobs.
   * Default: the test file's prefix.
   */
  redisPrefix?: string;
  /** An SMTP sink (`stack.sink`) the apps send to. */
  smtp?: boolean;
  /** Emails into a temporary folder (`stack.outbox`) instead of an SMTP server. */
  outbox?: boolean;
  /** The fake Strava (`stack.fake`) with its options; the apps are configured for it. */
  strava?: boolean | FakeStravaOptions;
  /** Shorter Strava rate-limit windows for the worker and the fake, to see a window roll over in seconds. */
  windows?: RateWindows;
  /** With `strava` and `api`: create the push subscription, as `deload strava:subscribe` does. */
  subscribe?: boolean;
  /** The api, listening on loopback (`stack.api`, `stack.url`); `modules` are imported next to its own. */
  api?: boolean | { modules?: Type[] };
  /** PUBLIC_URL is the api's own address, so links in emails and redirects lead to it. */
  linksToApi?: boolean;
  /** The worker in this process, without cron (`stack.worker`). */
  worker?: boolean;
}

/**
 * The parts of Deload a test file boots, started by `startStack` and stopped together by `stop()`.
 * Asking for a part that was not started throws (`startStack({ worker: true })` and so on).
 */
export interface Stack {
  /** The environment every app of the stack runs with. */
  readonly env: Record<string, string>;
  readonly api: NestExpressApplication;
  /** The api's address on loopback. */
  readonly url: string;
  readonly worker: INestApplicationContext;
  readonly sink: SmtpSink;
  readonly outbox: Outbox;
  readonly fake: FakeStrava;
  /** The database, through the api (or the worker when there is no api). */
  readonly db: DataSource;
  queue(name: string): Queue;
  /** Chromium, launched on first use and closed at stop: a test that never asks for it never needs it. */
  browser(): Promise<Browser>;
  /** A worker without cron in a process of its own (to SIGKILL mid-job), with the stack's environment; killed at stop. */
  workerProcess(): Promise<RunningProcess>;
  stop(): Promise<void>;
}

/**
 * What an e2e test boots: the run's database (migrated by global-setup), a Redis prefix, and those
 * of SMTP sink, outbox, fake Strava, api and worker it asks for. The worker never runs cron: its
 * sweeps and fan-outs would act on the whole shared test database at wall-clock times (weekly
 * summaries, the daily evaluation, email sweeps reaching other test files' rows) and race with what
 * the tests count; tests call the cron methods themselves where they need them.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const parts = new StackParts();
  try {
    await parts.start(options);
  } catch (error) {
    await parts.stop();
    throw error;
  }
  return parts;
}

class StackParts implements Stack {
  env: Record<string, string> = {};
  private parts: Partial<{
    api: NestExpressApplication;
    url: string;
    worker: INestApplicationContext;
    sink: SmtpSink;
    outbox: Outbox;
    fake: FakeStrava;
  }> = {};
  private ownPrefix?: string;
  private launched?: Promise<Browser>;
  private processes: RunningProcess[] = [];

  async start(options: StackOptions): Promise<void> {
    const env: Record<string, string> = {};
    if (options.redisPrefix) env.REDIS_KEY_PREFIX = this.ownPrefix = isolatedRedisPrefix(options.redisPrefix);
    if (options.smtp) env.SMTP_URL = (this.parts.sink = await new SmtpSink().start()).url;
    if (options.outbox) this.parts.outbox = new Outbox((env.OUTBOX_DIR = mkdtempSync(join(tmpdir(), 'deload-outbox-'))));
    if (options.strava) {
      const fakeOptions = options.strava === true ? {} : options.strava;
      this.parts.fake = await new FakeStrava({ ...fakeOptions, windows: options.windows ?? fakeOptions.windows }).start();
      Object.assign(env, this.parts.fake.env());
    }
    const port = options.linksToApi ? await freePort() : 0;
    if (options.linksToApi) env.PUBLIC_URL = `http://127.0.0.1:${port}`;
    this.env = withoutUnset(testEnv(env), options.env ?? {});

    if (options.api) {
      const api = await createApiApp(this.env, options.api === true ? [] : options.api.modules);
      this.parts.api = api;
      await api.listen(port, '127.0.0.1');
      this.parts.url = await api.getUrl();
    }
    if (options.worker) this.parts.worker = await startWorker(this.env, options.windows);
    if (options.strava && options.api && options.subscribe) await this.api.get(StravaPushSubscriptions).subscribe();
  }

  get api() {
    return this.part('api', 'api');
  }
  get url() {
    return this.part('url', 'api');
  }
  get worker() {
    return this.part('worker', 'worker');
  }
  get sink() {
    return this.part('sink', 'smtp');
  }
  get outbox() {
    return this.part('outbox', 'outbox');
  }
  get fake() {
    return this.part('fake', 'strava');
  }
  get db(): DataSource {
    return (this.parts.api ?? this.worker).get(DataSource);
  }

  queue(name: string): Queue {
    return (this.parts.api ?? this.worker).get<Queue>(getQueueToken(name), { strict: false });
  }

  browser(): Promise<Browser> {
    return (this.launched ??= launchChromium());
  }

  async workerProcess(): Promise<RunningProcess> {
    const worker = await startNoCronWorker(this.env);
    this.processes.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    for (const worker of this.processes) await worker.stop('SIGKILL');
    await (await this.launched?.catch(() => undefined))?.close();
    await this.parts.worker?.close();
    await this.parts.api?.close();
    await this.parts.fake?.stop();
    await this.parts.sink?.stop();
    if (this.ownPrefix) await deleteRedisKeys(this.ownPrefix);
  }

  private part<K extends keyof StackParts['parts']>(name: K, option: keyof StackOptions): NonNullable<StackParts['parts'][K]> {
    const value = this.parts[name];
    if (value === undefined) throw new Error(`this stack has no ${name}: start it with startStack({ ${option}: true })`);
    return value as NonNullable<StackParts['parts'][K]>;
  }
}

function withoutUnset(env: Record<string, string>, overrides: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...env, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The worker without cron. Built through Nest's testing module only when `windows` shortens the
 * Strava rate-limit windows; otherwise exactly as `createWorkerApp` builds it in production.
 */
async function startWorker(env: Record<string, string>, windows?: RateWindows): Promise<INestApplicationContext> {
  if (!windows) return createWorkerApp(env, { schedule: false });
  const worker = await Test.createTestingModule({ imports: [WorkerModule.forRoot(env, { schedule: false })] })
    .overrideProvider(STRAVA_RATE_WINDOWS)
    .useValue(windows)
    .compile();
  worker.enableShutdownHooks();
  await worker.init();
  return worker;
}
