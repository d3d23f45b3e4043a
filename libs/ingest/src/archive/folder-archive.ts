import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ActivityArchive } from './activity-archive';
import { ArchiveError } from './archive-error';
import { ByteBudget } from './byte-budget';
import { ArchiveLimits } from './limits';

async function filesUnder(root: string, dir = root): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(root, path)));
    else if (entry.isFile()) found.push(relative(root, path).split(sep).join('/'));
  }
  return found;
}

/** An unpacked export (or any folder) with the same limits as a zip. */
export async function openFolderArchive(
  root: string,
  limits: ArchiveLimits,
  wanted: (name: string) => boolean = () => true,
): Promise<ActivityArchive> {
  const allNames = await filesUnder(root);
  const names = allNames.filter(wanted);
  if (names.length > limits.maxEntries)
    throw new ArchiveError(`too many files: ${names.length}, more than the ${limits.maxEntries} allowed`);
  const budget = new ByteBudget(limits.maxTotalBytes);
  return {
    names,
    allNames,
    read: async (name) => {
      const path = join(root, ...name.split('/'));
      if ((await stat(path)).size > limits.maxEntryBytes) throw new ArchiveError(`${name} is too large`);
      return readFile(path);
    },
    stream: (name) => budget.counted(createReadStream(join(root, ...name.split('/'))), name),
    close: async () => undefined,
  };
}
