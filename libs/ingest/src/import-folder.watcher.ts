import { mkdir, readdir, rename, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UsersService } from '@deload/users';
import { AppConfig } from '@deload/config';
import { DomainError } from '@deload/domain';
import { ProcessPresence } from '@deload/persistence';
import { FileImportService } from './file-import.service';
import { FileImportResult } from './import-result';

const POLL_MS = 2_000;
/**
 * A claimed file of a worker that is gone is taken back at once (ProcessPresence); this is the
 * limit for a claim whose worker cannot be asked (a host that vanished, a claim of an older version).
 */
const STALE_CLAIM_MS = 10 * 60_000;
const PROCESSING = '.processing';
const DONE = 'done';
const FAILED = 'failed';
const RESERVED = new Set([PROCESSING, DONE, FAILED]);

export interface WatchedFileOutcome {
  email?: string;
  name: string;
  movedTo: typeof DONE | typeof FAILED;
  result?: FileImportResult;
}

interface Seen {
  size: number;
  mtimeMs: number;
}

/**
 * The watched folder (IMPORT_DIR; off when unset). Layout: IMPORT_DIR/<runner's email>/<file>.
 * A file is imported once its size and modification time hold still between two scans (so a
 * copy in progress is never read half-written), then moved to <email>/done/ (with <file>.report.txt
 * listing the activities refused and the warnings, if any) or, when nothing of it could be stored, to
 * <email>/failed/ (with <file>.reason.txt). A worker claims a file by renaming it into
 * <email>/.processing/<its process id>/ first, so several workers watching one folder import each
 * file once; the files of a worker that died mid-import go back at the next scan of any worker,
 * at once (also the restarted worker's first scan). On shutdown it stops between files. The user
 * is created when the folder names one that does not exist yet, as `deload import --user` does.
 */
@Injectable()
export class ImportFolderWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportFolderWatcher.name);
  /** Size and mtime of each waiting file at the last scan; only files still there are remembered. */
  private seen = new Map<string, Seen>();
  private seenNow = new Map<string, Seen>();
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<unknown>;
  private stopped = false;
  /** Set by stop(): the scan in progress ends after the file it is importing. */
  private interrupted = false;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly files: FileImportService,
    private readonly presence: ProcessPresence,
  ) {}

  get root(): string | undefined {
    return this.config.env.IMPORT_DIR;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.root) return;
    await mkdir(this.root, { recursive: true });
    this.logger.log(`watching ${this.root} for files to import (put them in a folder named after the runner's email)`);
    this.schedule(0); // at once: files a stopped worker left in .processing/ are taken back and imported now
  }

  /** Takes no new file; resolves once the file being imported (if any) is finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupted = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private schedule(delayMs = POLL_MS): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scanOnce()
        .catch((error: Error) => this.logger.error(`scan of ${this.root} failed: ${error.stack ?? error.message}`))
        .finally(() => this.schedule());
    }, delayMs);
  }

  /** One pass over the folder: imports every file that has settled since the previous pass. */
  async scanOnce(): Promise<WatchedFileOutcome[]> {
    const root = this.root;
    if (!root) return [];
    const outcomes: WatchedFileOutcome[] = [];
    this.seenNow = new Map();
    this.interrupted = false;
    for (const entry of await readdir(root, { withFileTypes: true })) {
      if (this.interrupted) break;
      if (RESERVED.has(entry.name) || entry.name.startsWith('.')) continue;
      if (entry.isFile() && (await this.settled(join(root, entry.name)))) {
        outcomes.push(await this.refuseUnassigned(root, entry.name));
      } else if (entry.isDirectory()) {
        outcomes.push(...(await this.scanRunnerFolder(join(root, entry.name), entry.name)));
      }
    }
    this.seen = this.seenNow;
    return outcomes;
  }

  private async scanRunnerFolder(folder: string, email: string): Promise<WatchedFileOutcome[]> {
    await this.reclaimStale(folder);
    const outcomes: WatchedFileOutcome[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (this.interrupted) break;
      if (!entry.isFile() || entry.name.startsWith('.') || !(await this.settled(join(folder, entry.name)))) continue;
      const outcome = await this.importClaimed(folder, email, entry.name);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  /** True once a file's size and mtime are the same as at the previous scan. */
  private async settled(path: string): Promise<boolean> {
    const info = await stat(path).catch(() => undefined);
    if (!info) return false;
    const previous = this.seen.get(path);
    const settled = previous !== undefined && previous.size === info.size && previous.mtimeMs === info.mtimeMs;
    if (!settled) this.seenNow.set(path, { size: info.size, mtimeMs: info.mtimeMs });
    return settled;
  }

  private async importClaimed(folder: string, email: string, name: string): Promise<WatchedFileOutcome | undefined> {
    const claimed = await this.claim(folder, name);
    if (!claimed) return undefined;
    try {
      const user = await this.users.findOrCreate(email);
      const result = await this.files.importFile(user.id, claimed, { filename: name, channel: 'watch' });
      const movedTo = result.status === 'rejected' ? FAILED : DONE;
      const report = reportOf(result);
      await this.finish(folder, claimed, name, movedTo, report.join('\n'));
      this.logger.log(`${email}/${name}: ${result.status}${report.length ? ` (${report.length} note${report.length === 1 ? '' : 's'})` : ''}`);
      return { email, name, movedTo, result };
    } catch (error) {
      if (error instanceof DomainError) {
        await this.finish(folder, claimed, name, FAILED, error.message);
        return { email, name, movedTo: FAILED };
      }
      // Our fault (database down…): give the file back so the next scan tries again.
      await rename(claimed, join(folder, name)).catch(() => undefined);
      throw error;
    }
  }

  /** Renames the file into .processing/<process id>/; undefined when another worker got there first. */
  private async claim(folder: string, name: string): Promise<string | undefined> {
    const mine = join(folder, PROCESSING, await this.presence.register());
    await mkdir(mine, { recursive: true });
    const claimed = join(mine, name);
    try {
      await rename(join(folder, name), claimed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const now = new Date();
    await utimes(claimed, now, now);
    return claimed;
  }

  /** Gives back the files of workers that stopped mid-import: at once when their process is gone, else after STALE_CLAIM_MS. */
  private async reclaimStale(folder: string): Promise<void> {
    const processing = join(folder, PROCESSING);
    for (const entry of await readdir(processing, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) {
        if (entry.name === this.presence.id) continue;
        const gone = !(await this.presence.isAlive(entry.name));
        const claims = join(processing, entry.name);
        for (const name of await readdir(claims).catch(() => [] as string[])) await this.giveBack(claims, name, folder, gone);
        await rmdir(claims).catch(() => undefined); // only once empty
      } else {
        await this.giveBack(processing, entry.name, folder, false); // a claim of an older version, without its process id
      }
    }
  }

  private async giveBack(claims: string, name: string, folder: string, ownerGone: boolean): Promise<void> {
    const info = await stat(join(claims, name)).catch(() => undefined);
    if (!info || (!ownerGone && Date.now() - info.mtimeMs <= STALE_CLAIM_MS)) return;
    const back = join(folder, name);
    if (
      !(await rename(join(claims, name), back).then(
        () => true,
        () => false,
      ))
    )
      return;
    // It was complete when it was claimed: import it in this same scan.
    this.seen.set(back, { size: info.size, mtimeMs: info.mtimeMs });
    this.logger.log(`${name}: taken back from a worker that stopped while importing it`);
  }

  private async refuseUnassigned(root: string, name: string): Promise<WatchedFileOutcome> {
    const claimed = await this.claim(root, name);
    const reason = `no runner for this file: put it in a folder named after the runner's email (${root}/runner@example.com/${name})`;
    if (claimed) await this.finish(root, claimed, name, FAILED, reason);
    return { name, movedTo: FAILED };
  }

  private async finish(folder: string, claimed: string, name: string, outcome: typeof DONE | typeof FAILED, reason: string): Promise<void> {
    const target = join(folder, outcome);
    await mkdir(target, { recursive: true });
    const finalName = await freeName(target, name);
    await rename(claimed, join(target, finalName));
    if (outcome === FAILED) await writeFile(join(target, `${finalName}.reason.txt`), `${reason}\n`);
    else if (reason) await writeFile(join(target, `${finalName}.report.txt`), `${reason}\n`);
  }
}

/**
 * What the runner should read about an imported file: each rejected activity with its reason and
 * each warning. An export whose activities were partly refused still counts as imported (done/);
 * only a file of which nothing could be stored goes to failed/.
 */
function reportOf(result: FileImportResult): string[] {
  const all = [result, ...(result.entries ?? [])];
  const rejected = all.filter((r) => r.status === 'rejected' && r.reason).map((r) => `${r.filename}: ${r.reason}`);
  const warnings = all.flatMap((r) => (r.warnings ?? []).map((warning) => `${r.filename}: warning: ${warning}`));
  return [...rejected, ...warnings];
}

/** `name`, or `name-2.ext`, `name-3.ext`… when a file of that name is already there. */
async function freeName(folder: string, name: string): Promise<string> {
  const taken = new Set(await readdir(folder));
  if (!taken.has(name)) return name;
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let i = 2; ; i += 1) if (!taken.has(`${stem}-${i}${extension}`)) return `${stem}-${i}${extension}`;
}
