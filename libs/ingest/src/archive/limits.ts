import { DEFAULT_MAX_FIT_BYTES } from '@deload/fit';

/** How much an archive may make us read: guards against zip bombs and runaway exports. */
export interface ArchiveLimits {
  /** Entries in the archive, all kinds counted. */
  maxEntries: number;
  /** Sum of the uncompressed sizes of the entries we read. */
  maxTotalBytes: number;
  /** One entry, uncompressed (and one .gz inside it, after gunzip). */
  maxEntryBytes: number;
  /** Seconds an archive's import may take; the entries left after it are refused, each with the reason. */
  maxSeconds: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 100_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxEntryBytes: DEFAULT_MAX_FIT_BYTES,
  maxSeconds: 15 * 60,
};
