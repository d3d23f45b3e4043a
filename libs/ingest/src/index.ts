/**
 * @deload/ingest — storing runs for a runner.
 *
 * RunIngestService.upsertRuns(userId, runs: MappedRun[], { importFileId?, gearNames?, manager? })
 *   → RunOutcome[] ({ status: 'inserted' | 'updated' | 'merged' | 'duplicate', runId, … }, one per run,
 *   in order; a Strava activity whose run the runner deleted is skipped and has none). Idempotent per (source, externalId); the same outing from another source (start
 *   within 2 min, distance within 3 %) is merged into the stored run; a recording (a FIT, an
 *   export's file) of a run stored from a summary only (flag summary_only) takes it over in place.
 *   One transaction per call
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
 * FileImportService.importFile(userId, path, { filename, channel }, options?) and importPaths(userId,
 *   paths, channel, options?) → FileImportResult ({ filename, status: imported | duplicate | rejected,
 *   reason?, warnings?, runs, entries? }), one per received file with an entry per activity of an
 *   archive or export, so every activity is accounted for. Told apart by content (formats'
 *   detectFormat on the first bytes, and a zip's or folder's entry names), never by file name:
 *   - FIT, GPX, TCX (gzipped or not), zips of them, and zips inside those zips;
 *   - Strava bulk exports (zip, folder, or activities.csv alone): a row whose file is missing or
 *     unreadable is stored from the row (flag summary_only, with a warning) and upgraded in place
 *     when its file arrives (a complete export, or the FIT itself);
 *   - Garmin Connect: the activities CSV (eight languages; the runner's time zone; km or mi worked
 *     out, or options.distanceUnit — the upload's `units` field, `deload import --units`), the
 *     summarizedActivities JSON, the full account export (FIT of the nested UploadedFiles zips
 *     where present, the summary otherwise);
 *   - Apple Health: export.xml or export.zip, streamed (never in memory), routes for the climb;
 *   - Polar Flow: a training-session JSON, or the account export zip.
 *   Anything else is rejected with what it looks like and what we read. options.onProgress hears
 *   of each activity accounted for (with the total once known). Optional figures out of range are
 *   left out with a warning, never the run. The same outing from two sources or two exports is one
 *   run (importRecordKind tells the kinds of import record apart).
 *
 * FileImportService and the decoder live in FileImportModule (worker, CLI), never in the api.
 * Decoding (FIT, GPX, TCX, and the CSV/JSON exports) runs in worker threads under a time and memory
 *   budget (ActivityDecoder, DEFAULT_DECODE_BUDGET); `decodeFile(request)` is the pure step it runs,
 *   usable anywhere. Apple's export.xml streams on the main thread under the archive's own budget
 *   (ArchiveLimits.maxSeconds). Every file of an upload, a folder or an archive gets its own result:
 *   what goes wrong with one file never takes the others down.
 *
 * Uploads over HTTP are decoded by the worker, never by the api: UploadReceiver (UploadsModule, api)
 *   streams a multipart request's files to PostgreSQL (an `uploads` row, the bytes in upload_chunks)
 *   and records `upload-received`, whose `fit-ingest` job runs UploadImporter (UploadImportModule, worker):
 *   FileImportService on each file, progress and per-file results on the row, the bytes deleted
 *   once done. UploadReceiver.view(userId, id) is what GET /api/imports/:id shows its owner.
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
export { type DistanceUnit } from './formats/garmin-connect-csv';
export { type ImportProgress, type ImportProgressListener } from './import-progress';
export { countStatuses, type FileImportResult, type FileStatus, type ImportSource } from './import-result';
export { ImportFolderModule } from './import-folder.module';
export { ImportFolderWatcher, type WatchedFileOutcome } from './import-folder.watcher';
export { FileImportModule, IngestModule } from './ingest.module';
export { isSameOuting, SAME_OUTING } from './run-merge';
export {
  hangUpAfterAnswer,
  receiveMultipartFiles,
  type ReceivedFile,
  type ReceivedUpload,
  type UploadLimits,
} from './upload/multipart-upload';
export { UploadImporter, type UploadImportOutcome } from './upload/upload-importer.service';
export { MAX_FILES_PER_UPLOAD, UploadReceiver, type ReceivedImport } from './upload/upload-receiver.service';
export { NOTHING_IMPORTED, publicResult, uploadView, type PublicFileResult, type UploadView } from './upload/upload-results';
export { UploadImportModule, UploadsModule } from './uploads.module';
export { MAX_RUNS_PER_SHOE_CHANGE, NOT_YOUR_RUN, RunEdits } from './run-edits.service';
export { RunIngestService, type RemovedSource, type RunOutcome, type RunOutcomeStatus, type UpsertRunsOptions } from './run-ingest.service';
