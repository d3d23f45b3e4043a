import type { ImportChannel } from '@deload/persistence';
import type { RunOutcome } from './run-ingest.service';

export type FileStatus = 'imported' | 'duplicate' | 'rejected';

/** What became of one received file (and, for an archive, of each activity in it). */
export interface FileImportResult {
  filename: string;
  status: FileStatus;
  /** Why it was rejected, in words a runner can act on. */
  reason?: string;
  /** The import_files row recording it. */
  importFileId?: string;
  runs: RunOutcome[];
  /** An archive's activity files (or an export's activities), each with its own outcome. */
  entries?: FileImportResult[];
  /**
   * What was corrected or left out on the way, the run stored all the same ("elevation loss -0.3 m
   * is below zero: read as 0 m", "activities/12.fit is missing from the export: stored from the
   * activities.csv row"); for an export file, what concerns it as a whole (its encoding, its unit).
   */
  warnings?: string[];
}

export interface ImportSource {
  /** The name shown to the runner (the upload's file name, or the path given to the CLI). */
  filename: string;
  channel: ImportChannel;
}

/** Files, activities and runs per status, for summaries ("3 imported, 1 duplicate, 1 rejected"). */
export function countStatuses(results: FileImportResult[]): Record<FileStatus, number> {
  const counts: Record<FileStatus, number> = { imported: 0, duplicate: 0, rejected: 0 };
  for (const result of results) {
    if (result.entries?.length) {
      const inner = countStatuses(result.entries);
      for (const status of Object.keys(counts) as FileStatus[]) counts[status] += inner[status];
      if (result.status === 'rejected' && !result.entries.some((entry) => entry.status === 'rejected')) counts.rejected += 1;
    } else {
      counts[result.status] += 1;
    }
  }
  return counts;
}
