/**
 * @deload/ingest — storing runs for a runner.
 *
 * RunIngestService.upsertRuns(userId, runs: MappedRun[], { importFileId?, gearNames?, manager? })
 *   → RunOutcome[] ({ status: 'inserted' | 'updated' | 'merged' | 'duplicate', runId, … }, one per run,
 *   in order; a Strava activity whose run the runner deleted is skipped and has none). Idempotent per (source, externalId); the same outing from another source (start
 *   within 2 min, distance within 3 %) is merged into the stored run. One transaction per call
 *   (or the caller's `manager`), serialised per runner. gearRef: for source 'strava' a Strava gear
 *   id, for 'import' a gear name; missing shoes are created (name from `gearNames`, else gearRef).
 *   Used by the Strava sync with runs mapped from the API (source 'strava').
 *
 * RunIngestService.removeSource(userId, source, externalIds?, { manager? }) → { sourcesRemoved,
 *   runsDeleted, runsKept }: forgets a source's runs (a deleted Strava activity, a deauthorized
 *   athlete); a run another source still has (a FIT upload of the same outing) stays.
 *
 * RunEdits (the runs list): deleteRun, markNotARun, assignShoe on the runner's own runs; each declares
 *   `runs-changed`. A deleted run's Strava activities are remembered so the sync skips them.
 *
 * FileImportService.importFile(userId, path, { filename, channel }) and importPaths(userId, paths,
 *   channel) → FileImportResult ({ filename, status: imported | duplicate | rejected, reason?, runs,
 *   entries? }). FIT, GPX, TCX (gzipped or not), zips of them, Strava bulk exports (zip or folder).
 *
 * Decoding (FIT, GPX, TCX, activities.csv) runs in worker threads under a time and memory budget
 *   (ActivityDecoder, DEFAULT_DECODE_BUDGET); `decodeFile(request)` is the pure step (bytes → runs)
 *   it runs, usable anywhere. Every file of an upload, a folder or an archive gets its own result:
 *   what goes wrong with one file never takes the others down.
 *
 * ImportFolderWatcher (ImportFolderModule, worker): IMPORT_DIR/<email>/<file> → done/ or failed/.
 *
 * Both queue an `evaluate` job for the runner (EvaluationRequests, coalesced per runner) after
 * committing runs that were inserted, updated or merged. Needs PersistenceModule and QueueModule.
 */
export { ArchiveError } from './archive/archive-error';
export { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive/limits';
export { ActivityDecoder, DECODE_BUDGET, DEFAULT_DECODE_BUDGET, type DecodeBudget } from './decode/activity-decoder';
export { decodeFile, type DecodeRequest, type DecodeResult } from './decode/decode-file';
export { FileImportService, type FileImportOptions } from './file-import.service';
export { mapActivityFile, sniff } from './formats/activity-file';
export { type ImportProgress, type ImportProgressListener } from './import-progress';
export { countStatuses, type FileImportResult, type FileStatus, type ImportSource } from './import-result';
export { ImportFolderModule } from './import-folder.module';
export { ImportFolderWatcher, type WatchedFileOutcome } from './import-folder.watcher';
export { IngestModule } from './ingest.module';
export { isSameOuting, SAME_OUTING } from './run-merge';
export {
  hangUpAfterAnswer,
  receiveMultipartFiles,
  type ReceivedFile,
  type ReceivedUpload,
  type UploadLimits,
} from './upload/multipart-upload';
export { UploadImportService } from './upload/upload-import.service';
export { MAX_RUNS_PER_SHOE_CHANGE, NOT_YOUR_RUN, RunEdits } from './run-edits.service';
export { RunIngestService, type RemovedSource, type RunOutcome, type RunOutcomeStatus, type UpsertRunsOptions } from './run-ingest.service';
