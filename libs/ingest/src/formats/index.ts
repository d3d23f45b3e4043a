/**
 * Activity files and account exports as runs — pure parsing (no Nest, database or network; the
 * lint config fences it). The importer reads bytes from uploads, zips and folders and calls:
 *
 * 1. `detectFormat(head, entries?)` on the first DETECTION_BYTES of a file (and, for a zip, its
 *    entry names) → { kind, supported, description, message? }. An unsupported file's `message`
 *    says what it looks like and what we read.
 * 2. Per kind:
 *    - fit / gpx / tcx (gzipped or not): `mapActivityFile(bytes)` → MappedRun[].
 *    - strava-export(-csv): `parseActivitiesCsv(text)` → ExportActivity[]; per activity
 *      `mapExportActivity(activity, runFromItsFile | undefined)` → ParsedEntry (summary-only run
 *      when the file is missing or unreadable).
 *    - garmin-connect-csv: `parseGarminConnectCsv(bytes, { timeZone, distanceUnit? })`.
 *    - garmin-connect-export: `garminExportLayout(entries)`; `parseGarminSummaries(bytes)` for each
 *      summary file; `new GarminExportMatcher(entries)`; each FIT in the nested UploadedFiles
 *      zips through mapActivityFile, then `matcher.claim(run)`; finally `matcher.unclaimed()`.
 *      garmin-connect-summaries (the JSON alone): parseGarminSummaries.
 *    - apple-health-export / -xml: `appleHealthLayout(entries)`; `readAppleHealthExport(stream of
 *      export.xml)`; for extras with a routePath, `routeEntryFor` → `readRouteClimb(stream)` →
 *      `withRouteClimb(run, climb)`.
 *    - polar-flow-export / -session: `polarSessionFiles(entries)`; `parsePolarTrainingSession(bytes, name)`.
 * 3. Every parser returns ParsedEntry per activity — a run with its warnings, or the reason it is
 *    rejected — so every activity is accounted for; a file it cannot read at all throws a
 *    TrackFormatError whose `problem` says why (`ambiguous_units`: ask for `distanceUnit`).
 * 4. Runs from exports have source `import`; `importRecordKind(externalId)` tells which export
 *    kind a record is, for the same-outing merge.
 */
export { mapActivityFile, sniff } from './activity-file';
export {
  appleHealthLayout,
  DEFAULT_MAX_ELEMENT_BYTES,
  readAppleHealthExport,
  readRouteClimb,
  routeEntryFor,
  withRouteClimb,
  type AppleHealthLayout,
  type AppleHealthOptions,
  type AppleHealthResult,
  type AppleWorkoutExtras,
} from './apple-health';
export { DETECTION_BYTES, detectFormat, WE_READ, type Detection, type FormatKind } from './detect';
export { parseGarminConnectCsv, type DistanceUnit, type GarminCsvOptions, type GarminCsvResult } from './garmin-connect-csv';
export { GarminExportMatcher, garminExportLayout, parseGarminSummaries, type GarminExportLayout } from './garmin-connect-export';
export { GARMIN_LANGUAGE_NAMES, type GarminLanguage } from './garmin-csv-headers';
export { type ParsedEntry, type ParsedExport } from './parsed-entry';
export { parsePolarTrainingSession, polarSessionFiles } from './polar-flow';
export { importRecordKind } from './record-kind';
export { sanitiseRun } from './sanitise';
export { exportActivityRef, mapExportActivity, overlayExportActivity, parseActivitiesCsv, type ExportActivity } from './strava-export-csv';
export { decodeText } from './text';
export { TrackFormatError, type FormatProblem } from './track-format-error';
