/** A set of named files read one at a time: a zip archive or a folder. */
export interface ActivityArchive {
  /** Paths inside the archive, '/'-separated, files only: the ones asked for (these count towards the size limits and can be read). */
  readonly names: string[];
  /** Every file in it, read or not, for telling what the archive is (detectFormat). */
  readonly allNames: string[];
  /** An entry's bytes in memory; refused past ArchiveLimits.maxEntryBytes. */
  read(name: string): Promise<Buffer>;
  /**
   * An entry as a stream of chunks, for entries too large to hold (Apple Health's export.xml, a
   * nested zip): not bound by maxEntryBytes, only by the archive's total (maxTotalBytes, counted
   * as the bytes arrive, whatever the entry's header claims).
   */
  stream(name: string): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

/** Files that are never activities: OS clutter and hidden files. */
export function isClutter(name: string): boolean {
  return name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}
