import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'deload-upload-';
/** Folders this old are removed whoever made them: no upload (and its import) takes a day. */
const ABANDONED_MS = 24 * 3600_000;

const host = () => hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host';
/** Tells this process from an earlier one with the same pid (a restarted container's process is pid 1 again). */
const BOOT = Math.round(performance.timeOrigin).toString(36);

/**
 * A private (0700) temporary folder for one upload, named after this host, process and its start,
 * so a later start can tell it was left behind by a crash.
 */
export function createUploadFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${host()}-${process.pid}-${BOOT}-`));
}

function isRunning(pid: number, boot: string): boolean {
  if (pid === process.pid) return boot === BOOT;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes upload folders a crashed process left behind: those of this host whose process is gone
 * (an earlier process with this pid counts as gone), and any older than a day. Folders of
 * processes still running — another api on the same machine, this one — are left alone.
 */
export async function removeStaleUploadFolders(): Promise<string[]> {
  const removed: string[] = [];
  const names = (await readdir(tmpdir()).catch(() => [] as string[])).filter((name) => name.startsWith(PREFIX));
  for (const name of names) {
    const path = join(tmpdir(), name);
    const owner = /^(.+)-(\d+)-([a-z0-9]+)-[^-]+$/.exec(name.slice(PREFIX.length));
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const orphaned = !!owner && owner[1] === host() && !isRunning(Number(owner[2]), owner[3]);
    if (orphaned || Date.now() - info.mtimeMs > ABANDONED_MS) {
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}
