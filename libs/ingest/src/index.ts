/**
 * @deload/ingest — storing runs for a runner.
 *
 * RunIngestService.upsertRuns(userId, runs: MappedRun[], { importFileId?, gearNames?, manager? })
 *   → RunOutcome[] ({ status: 'inserted' | 'updated' | 'merged' | 'duplicate', runId, … }, one per run,
 *   in order). Idempotent per (source, externalId); the same outing from another source (start
 *   within 2 min, distance within 3 %) is merged into the stored run. One transaction per call
 *   (or the caller's `manager`), serialised per runner. gearRef: for source 'strava' a Strava gear
 *   id, for 'import' a gear name; missing shoes are created (name from `gearNames`, else gearRef).
 *   Used by the Strava sync with runs mapped from the API (source 'strava').
 *
 * RunIngestService.removeSource(userId, source, externalIds?, { manager? }) → { sourcesRemoved,
 *   runsDeleted, runsKept }: forgets a source's runs (a deleted Strava activity, a deauthorized
 *   athlete); a run another source still has (a FIT upload of the same outing) stays.
 *
 * FileImportService.importFile(userId, path, { filename, channel }) and importPaths(userId, paths,
 *   channel) → FileImportResult ({ filename, status: imported | duplicate | rejected, reason?, runs,
 *   entries? }). FIT, GPX, TCX (gzipped or not), zips of them, Strava bulk exports (zip or folder).
 *
 * ImportFolderWatcher (ImportFolderModule, worker): IMPORT_DIR/<email>/<file> → done/ or failed/.
 *
 * Both queue an `evaluate` job for the runner (EvaluationRequests, coalesced per runner) after
 * committing runs that were inserted, updated or merged. Needs PersistenceModule and QueueModule.
 */
export { ArchiveError } from './archive/archive-error';
export { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive/limits';
export { FileImportService, type FileImportOptions } from './file-import.service';
export { mapActivityFile, sniff } from './formats/activity-file';
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
export { lockRunnerData } from './runner-lock';
export { RunIngestService, type RemovedSource, type RunOutcome, type RunOutcomeStatus, type UpsertRunsOptions } from './run-ingest.service';
