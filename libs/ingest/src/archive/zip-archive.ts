import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { ActivityArchive } from './activity-archive';
import { ArchiveError } from './archive-error';
import { ByteBudget } from './byte-budget';
import { ArchiveLimits } from './limits';

const open = (path: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    // yauzl checks every entry name (no absolute paths, no "..", no backslashes) and that each
    // entry inflates to exactly its declared size.
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );

function describeZipError(error: Error): string {
  if (/invalid relative path|absolute path|invalid characters in fileName/i.test(error.message)) {
    return `unsafe zip: an entry's name points outside the archive (${error.message}); nothing was imported`;
  }
  return `unreadable zip: ${error.message}`;
}

/** Every entry of a zip, listed (checking the limits) before anything is read. */
async function listEntries(
  zip: yauzl.ZipFile,
  limits: ArchiveLimits,
  wanted: (name: string) => boolean,
): Promise<{ entries: Map<string, yauzl.Entry>; allNames: string[] }> {
  if (zip.entryCount > limits.maxEntries) {
    throw new ArchiveError(`zip bomb refused: ${zip.entryCount} entries, more than the ${limits.maxEntries} allowed`);
  }
  const entries = new Map<string, yauzl.Entry>();
  const allNames: string[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) allNames.push(entry.fileName);
      if (!entry.fileName.endsWith('/') && wanted(entry.fileName)) {
        total += entry.uncompressedSize;
        entries.set(entry.fileName, entry);
      }
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', (error: Error) => reject(new ArchiveError(describeZipError(error))));
    zip.readEntry();
  });
  if (total > limits.maxTotalBytes) {
    throw new ArchiveError(
      `zip bomb refused: its activity files unpack to ${gib(total)}, more than the ${gib(limits.maxTotalBytes)} allowed`,
    );
  }
  return { entries, allNames };
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** Reads an entry into memory, stopping at `maxBytes` whatever its header claims. */
function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    return Promise.reject(new ArchiveError(`${entry.fileName} is too large: it unpacks to more than ${gib(maxBytes)}`));
  }
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(new ArchiveError(`${entry.fileName} cannot be read: ${error.message}`));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) stream.destroy(new Error(`unpacks to more than ${gib(maxBytes)}`));
        else chunks.push(chunk);
      });
      stream.on('error', (streamError: Error) => reject(new ArchiveError(`${entry.fileName} cannot be read: ${streamError.message}`)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** An entry's inflated bytes as they come (yauzl checks they match the declared size). */
async function* streamEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncIterable<Buffer> {
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (error, opened) =>
      error ? reject(new ArchiveError(`${entry.fileName} cannot be read: ${error.message}`)) : resolve(opened),
    ),
  );
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw error instanceof ArchiveError ? error : new ArchiveError(`${entry.fileName} cannot be read: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
}

/** A zip on disk; `wanted` picks the entries that count towards the size limit and can be read. */
export async function openZipArchive(
  path: string,
  limits: ArchiveLimits,
  wanted: (name: string) => boolean = () => true,
): Promise<ActivityArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(path);
  } catch (error) {
    throw new ArchiveError(describeZipError(error as Error));
  }
  try {
    const { entries, allNames } = await listEntries(zip, limits, wanted);
    const budget = new ByteBudget(limits.maxTotalBytes);
    return {
      names: [...entries.keys()],
      allNames,
      read: (name) => readEntry(zip, entries.get(name)!, limits.maxEntryBytes),
      stream: (name) => budget.counted(streamEntry(zip, entries.get(name)!), name),
      close: async () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}
