import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActivityArchive } from './activity-archive';
import { ArchiveLimits } from './limits';
import { openZipArchive } from './zip-archive';

/**
 * Opens a zip inside an archive (Garmin's UploadedFiles_*.zip, a zip of zips) and hands it to
 * `work`: the entry is streamed to a temporary file — counted against the outer archive's total,
 * never held in memory — and opened under the same limits as any zip (entry count, sizes, names).
 * The temporary file is removed afterwards, whatever happens.
 */
export async function withNestedZip<T>(
  outer: ActivityArchive,
  name: string,
  limits: ArchiveLimits,
  wanted: (name: string) => boolean,
  work: (inner: ActivityArchive) => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'deload-nested-'));
  try {
    const path = join(folder, 'nested.zip');
    await pipeline(Readable.from(outer.stream(name)), createWriteStream(path));
    const inner = await openZipArchive(path, limits, wanted);
    try {
      return await work(inner);
    } finally {
      await inner.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
