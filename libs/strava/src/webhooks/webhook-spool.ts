import { mkdir, open, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const CURRENT = 'strava-webhooks.ndjson';
const DRAINING = /^strava-webhooks\.\d+-\d+\.draining\.ndjson$/;
const PROCESS_DIR = /^api-(\d+)$/;

/**
 * A local append-only file of webhook bodies received while PostgreSQL was unreachable, so Strava
 * still gets its 200 and the event is not lost (SPOOL_DIR; keep it on a persistent volume). Each
 * append is fsynced before the answer. Draining renames the file first (new events go to a fresh
 * one), hands its events to the inbox, and deletes it only once they are stored; a file that could
 * not be stored stays and is drained again. A torn last line (the process died mid-write) is skipped.
 */
export class WebhookSpool {
  readonly dir: string;
  private appending: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Appends one line per body and fsyncs; resolves once they are on disk. Appends of one process never interleave. */
  append(bodies: readonly unknown[]): Promise<void> {
    const write = this.appending.then(async () => {
      await mkdir(this.dir, { recursive: true });
      const file = await open(join(this.dir, CURRENT), 'a');
      try {
        await file.write(bodies.map((body) => `${JSON.stringify(body)}\n`).join(''));
        await file.datasync();
      } finally {
        await file.close();
      }
    });
    this.appending = write.catch(() => undefined);
    return write;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.files()).length === 0;
  }

  /**
   * Hands the spooled bodies to `store`, file by file, oldest first; a file is deleted once `store`
   * resolved for it. Stops at the first file `store` throws for (the database is still away).
   * Returns how many bodies were stored.
   */
  async drain(store: (bodies: unknown[]) => Promise<void>): Promise<number> {
    await this.appending;
    await rename(join(this.dir, CURRENT), join(this.dir, `strava-webhooks.${Date.now()}-${process.pid}.draining.ndjson`)).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
    let stored = 0;
    for (const name of (await this.files()).filter((file) => DRAINING.test(file)).sort()) {
      const path = join(this.dir, name);
      const bodies = parseLines(await readFile(path, 'utf8').catch(() => ''));
      if (bodies.length) await store(bodies);
      await rm(path, { force: true });
      stored += bodies.length;
    }
    return stored;
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => name === CURRENT || DRAINING.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

function parseLines(text: string): unknown[] {
  const bodies: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      bodies.push(JSON.parse(line));
    } catch {
      // a torn last line: the process died while writing it, before answering Strava (which retries)
    }
  }
  return bodies;
}

/**
 * The spool of api process `slot` (1…`processes`) under SPOOL_DIR: SPOOL_DIR itself for a single
 * process, `SPOOL_DIR/api-<slot>` when several share the machine (each appends and drains only its own).
 */
export function processSpoolDir(root: string, slot: number, processes: number): string {
  return processes > 1 ? join(root, `api-${slot}`) : root;
}

/**
 * Run before the api processes start (none is running): the spooled events of processes that will
 * not run now — `SPOOL_DIR` itself after a run with several processes, `api-<k>` beyond `processes`,
 * or every `api-<k>` after a run with one — are moved into the first process's spool as files to
 * drain, so they are stored once it starts. Returns how many files were moved.
 */
export async function adoptOrphanSpools(root: string, processes: number): Promise<number> {
  const target = processSpoolDir(resolve(root), 1, processes);
  const sources: string[] = [];
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (processes > 1) sources.push(resolve(root));
  for (const name of names) {
    const slot = PROCESS_DIR.exec(name);
    if (slot && (processes === 1 || Number(slot[1]) > processes)) sources.push(join(resolve(root), name));
  }
  let moved = 0;
  for (const source of sources) {
    const files = (await readdir(source).catch(() => [] as string[])).filter((name) => name === CURRENT || DRAINING.test(name));
    if (!files.length) continue;
    await mkdir(target, { recursive: true });
    for (const name of files) {
      // A file being drained keeps its name (time and pid make it unique); a current file gets one.
      moved += 1;
      const drainingName = `strava-webhooks.${Date.now()}-${process.pid}${String(moved).padStart(4, '0')}.draining.ndjson`;
      await rename(join(source, name), join(target, name === CURRENT ? drainingName : name));
    }
    if (source !== resolve(root)) await rmdir(source).catch(() => undefined);
  }
  return moved;
}
