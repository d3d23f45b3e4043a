import type { UploadRecord } from '@deload/persistence';
import { countStatuses, FileImportResult, FileStatus } from '../import-result';

/** One file's result as the api shows it (no internal ids beyond the runs'). */
export interface PublicFileResult {
  filename: string;
  status: FileStatus;
  reason?: string;
  runs: Pick<FileImportResult['runs'][number], 'runId' | 'status' | 'sport' | 'isRun' | 'startUtc' | 'distanceM'>[];
  warnings?: string[];
  entries?: PublicFileResult[];
}

export function publicResult(result: FileImportResult): PublicFileResult {
  return {
    filename: result.filename,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    runs: result.runs.map(({ runId, status, sport, isRun, startUtc, distanceM }) => ({ runId, status, sport, isRun, startUtc, distanceM })),
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    ...(result.entries ? { entries: result.entries.map(publicResult) } : {}),
  };
}

/** Every file rejected: the import failed as a whole (the api used to answer 422), each file's reason still given. */
export const NOTHING_IMPORTED = "no file could be imported: see each file's reason";

/** What GET /api/imports/:id answers (and the upload used to answer once the files were imported). */
export interface UploadView {
  id: string;
  status: UploadRecord['status'];
  /** Activities accounted for so far, of those known (a single file is one; an archive's count is known once listed). */
  progress: { done: number; total: number };
  /** The files received, before their results are known. */
  received: { filename: string; sizeBytes: number }[];
  /** Once done or failed: files, activities and runs per status, as the upload page sums them. */
  counts?: Record<FileStatus, number>;
  files?: PublicFileResult[];
  /** Why it failed: every file rejected, or the import could not be run at all. */
  message?: string;
}

export function uploadView(upload: UploadRecord): UploadView {
  const files = upload.results as PublicFileResult[] | null;
  const finished = upload.status === 'done' || upload.status === 'failed';
  return {
    id: upload.id,
    status: upload.status,
    progress: upload.progress,
    received: upload.files.map(({ filename, sizeBytes }) => ({ filename, sizeBytes })),
    ...(finished && files ? { counts: countStatuses(files as unknown as FileImportResult[]), files } : {}),
    ...(upload.status === 'failed' ? { message: upload.error ?? NOTHING_IMPORTED } : {}),
  };
}
