/** A set of named files read one at a time: a zip archive or a folder. */
export interface ActivityArchive {
  /** Paths inside the archive, '/'-separated, files only. */
  readonly names: string[];
  read(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Files that are never activities: OS clutter and hidden files. */
export function isClutter(name: string): boolean {
  return name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}
