import cluster, { Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { Env } from '@deload/config';
import { startupLogger } from '@deload/logging';
import { StravaWebhookInbox } from '@deload/strava';

/** A process that dies after start-up is started again after this long (doubling while it keeps dying, at most a minute). */
const RESTART_FIRST_MS = 1_000;
const RESTART_CAP_MS = 60_000;
/** A process that stays up this long resets its restart delay. */
const STABLE_AFTER_MS = 30_000;
/** The primary's message asking an api process to stop gracefully (see `stopOnPrimaryRequest`). */
const STOP = 'deload-api-stop';

/**
 * API_PROCESSES > 1: this process is node:cluster's primary. It runs no Nest app and opens no
 * database or Redis connection; it forks API_PROCESSES api processes that share PORT (the primary
 * accepts and hands connections out round-robin), each with its own spool directory under SPOOL_DIR
 * (SPOOL_DIR/api-1 …; spools of processes that no longer run are handed to api-1 first). Resolves
 * once every process listens; a process that fails before it listens stops them all (exit 1, as a
 * single api would). After that, a process that dies is started again in its slot (its spool is
 * drained when it starts); SIGTERM/SIGINT stop every process gracefully, then the primary.
 */
export async function runPrimary(env: Env): Promise<void> {
  Logger.overrideLogger(startupLogger(env));
  const logger = new Logger('ApiCluster');
  const processes = env.API_PROCESSES;
  const { spoolDirs, adoptedFiles } = await StravaWebhookInbox.prepareSpools(env.SPOOL_DIR, processes);
  if (adoptedFiles) logger.log(`${adoptedFiles} spool files of api processes that no longer run go to ${spoolDirs[0]}`);
  cluster.setupPrimary({ silent: false });
  let stopping = false;
  const slots = new Map<Worker, number>();
  const delays = spoolDirs.map(() => RESTART_FIRST_MS);

  const fork = (slot: number): Worker => {
    const worker = cluster.fork({ SPOOL_DIR: spoolDirs[slot] });
    slots.set(worker, slot);
    return worker;
  };

  // A message, not a signal: at a terminal, Ctrl-C already sent SIGINT to every process, and a
  // second signal would cut short the graceful stop the first began.
  const stopAll = () => {
    for (const worker of slots.keys()) if (!worker.isDead() && worker.isConnected()) worker.send(STOP);
  };

  const started = spoolDirs.map((_, slot) => {
    const worker = fork(slot);
    return new Promise<void>((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code, signal) => reject(new Error(`api process ${slot + 1} exited (${signal ?? code}) before it listened`)));
    });
  });
  try {
    await Promise.all(started);
  } catch (error) {
    stopping = true;
    stopAll();
    throw error;
  }

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker);
    slots.delete(worker);
    if (stopping || slot === undefined) {
      if (stopping && slots.size === 0) process.exit(0);
      return;
    }
    const delay = delays[slot];
    logger.error(
      `api process ${slot + 1} (pid ${worker.process.pid}) died (${signal ?? `exit ${code}`}): starting it again in ${delay} ms`,
    );
    delays[slot] = Math.min(delay * 2, RESTART_CAP_MS);
    setTimeout(() => {
      if (stopping) return;
      const replacement = fork(slot);
      const stable = setTimeout(() => (delays[slot] = RESTART_FIRST_MS), STABLE_AFTER_MS);
      stable.unref();
      replacement.once('exit', () => clearTimeout(stable));
    }, delay);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal}: stopping ${slots.size} api processes`);
      if (slots.size === 0) process.exit(0);
      stopAll();
    });
  }
}

/**
 * In an api process of the cluster: the primary's stop request is handled as SIGTERM (which does
 * nothing more when a signal already began the stop). Before the app is up (`serving` not yet
 * called) nothing is served and the process just exits.
 */
export function stopOnPrimaryRequest(): { serving(): void } {
  let serving = false;
  process.on('message', (message) => {
    if (message !== STOP) return;
    if (!serving) process.exit(0);
    process.emit('SIGTERM', 'SIGTERM');
  });
  return { serving: () => (serving = true) };
}
