import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { MappedRun } from '@deload/domain';
import { DEFAULT_MAX_FIT_BYTES } from '@deload/fit';
import { ActivityArchive, isClutter } from './archive/activity-archive';
import { openFolderArchive } from './archive/folder-archive';
import { DEFAULT_ARCHIVE_LIMITS } from './archive/limits';
import { withNestedZip } from './archive/nested-zip';
import { openZipArchive } from './archive/zip-archive';
import { ActivityDecoder } from './decode/activity-decoder';
import { Detection, DETECTION_BYTES, detectFormat, FormatKind } from './formats/detect';
import { ExportActivity, mapExportActivity } from './formats/strava-export-csv';
import { decodeHead } from './formats/text';
import { ParsedEntry } from './formats/parsed-entry';
import { ACTIVITY_FILE, ExportImporter } from './import/export-importer';
import { ArchiveDeadline, FileImportOptions, ImportJob, ProgressTally, Received, sha256, sha256OfFile } from './import/import-job';
import { ImportRecorder, isRejection } from './import/import-recorder';
import { FileImportResult, ImportSource } from './import-result';

export type { FileImportOptions } from './import/import-job';

const EXPORT_CSV = /(^|\/)activities\.csv$/i;
/** The entries of an archive we may read: activity files, nested zips, and the files each export is made of. */
const READABLE_ENTRY =
  /\.(fit|gpx|tcx)(\.gz)?$|(^|\/)activities\.csv$|\.zip$|(^|\/)export\.xml$|summarizedActivities[^/]*\.json$|(^|\/)training-session-[^/]*\.json$/i;
const readable = (name: string) => !isClutter(name) && READABLE_ENTRY.test(name);
/** A zip's signature: detectFormat judges an archive (or a folder) by its entry names after it. */
const ZIP_HEAD = Uint8Array.from([0x50, 0x4b, 0x03, 0x04]);
/** The archive kinds read as one export, whether zipped or unpacked into a folder. */
const EXPORT_KINDS: FormatKind[] = ['strava-export', 'garmin-connect-export', 'apple-health-export', 'polar-flow-export'];

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Text (CSV, JSON, XML…) rather than binary: an unsupported text file gets detection's message, binary the FIT decoder's. */
function readsAsText(head: Uint8Array): boolean {
  const sample = decodeHead(head.subarray(0, 4096)).text;
  // eslint-disable-next-line no-control-regex
  const control = (sample.match(/[\u0000-\u0008\u000e-\u001f]/g) ?? []).length;
  return sample.length > 0 && control <= Math.max(2, sample.length * 0.01);
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Imports files for a runner, telling each by its content (detectFormat), not its name: single
 * FIT / GPX / TCX files (gzipped or not) and zips of them (zips inside too); Strava bulk exports
 * (zip, folder, or activities.csv alone); Garmin Connect activities CSVs, summaries JSON and full
 * account exports; Apple Health export.xml and export.zip; Polar Flow sessions and account
 * exports. Each activity is stored in its own transaction together with its import_files row, so a
 * rejected one leaves nothing behind but the record of its rejection; archive-wide problems (zip
 * bomb, unsafe entry names, an export file we cannot read at all) reject the archive before
 * anything in it is stored. Whatever goes wrong with one activity is that activity's result.
 * Decoding runs off the event loop under a time and memory budget (ActivityDecoder); an archive
 * as a whole, and a long stream such as Apple's export.xml, has its own (ArchiveLimits.maxSeconds).
 */
@Injectable()
export class FileImportService {
  constructor(
    private readonly recorder: ImportRecorder,
    private readonly exports: ExportImporter,
    private readonly decoder: ActivityDecoder,
  ) {}

  /** Every path as the CLI gets them: files, zips, export folders, or folders of activity files. */
  async importPaths(
    userId: string,
    paths: string[],
    channel: ImportSource['channel'],
    options: FileImportOptions = {},
  ): Promise<FileImportResult[]> {
    const results: FileImportResult[] = [];
    for (const path of paths) {
      if ((await stat(path)).isDirectory()) results.push(...(await this.importFolder(userId, path, channel, options)));
      else results.push(await this.importFile(userId, path, { filename: path, channel }, options));
    }
    return results;
  }

  /** One file on disk (an upload saved to a temporary file, a CLI argument, a watched-folder file). */
  async importFile(userId: string, path: string, source: ImportSource, options: FileImportOptions = {}): Promise<FileImportResult> {
    const received: Received = { filename: source.filename, sha256: '', sizeBytes: 0, channel: source.channel };
    const job = this.job(userId, source.filename, options);
    return this.recorder.ownResult(userId, received, () => this.importFileOnDisk(job, path, received));
  }

  private job(userId: string, filename: string, options: FileImportOptions): ImportJob {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
    return {
      userId,
      options,
      limits,
      deadline: new ArchiveDeadline(limits.maxSeconds),
      progress: new ProgressTally(filename, options.onProgress),
    };
  }

  /** A folder: an unpacked export is one import; any other folder, each file in it. */
  private async importFolder(
    userId: string,
    path: string,
    channel: Received['channel'],
    options: FileImportOptions,
  ): Promise<FileImportResult[]> {
    const job = this.job(userId, path, options);
    const received: Received = { filename: path, sha256: sha256(path), sizeBytes: 0, channel };
    let archive: ActivityArchive;
    try {
      archive = await openFolderArchive(path, job.limits, readable);
    } catch (error) {
      if (!isRejection(error)) throw error;
      return [await this.recorder.reject(userId, received, error.message)];
    }
    const detection = detectFormat(
      ZIP_HEAD,
      archive.allNames.filter((name) => !isClutter(name)),
    );
    if (EXPORT_KINDS.includes(detection.kind)) return [await this.importArchive(job, archive, detection, received)];
    const files = (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isFile() && !isClutter(entry.name));
    const results: FileImportResult[] = [];
    for (const file of files) {
      const filename = join(path, file.name);
      results.push(await this.importFile(userId, filename, { filename, channel }, options));
    }
    return results;
  }

  private async importFileOnDisk(job: ImportJob, path: string, received: Received): Promise<FileImportResult> {
    const head = await firstBytes(path, DETECTION_BYTES);
    const detection = detectFormat(head);
    Object.assign(received, { sizeBytes: (await stat(path)).size, sha256: await sha256OfFile(path) });
    if (detection.kind === 'zip') return this.importZip(job, path, head, received);
    if (detection.kind === 'apple-health-xml') return this.exports.appleXml(job, createReadStream(path), received);
    if (detection.kind === 'unsupported' && (detection.gzipped || readsAsText(head)))
      return this.recorder.reject(job.userId, received, detection.message!);
    if (received.sizeBytes > job.limits.maxEntryBytes) {
      const limit = `${Math.round(job.limits.maxEntryBytes / 1024 / 1024)} MB`;
      return this.recorder.reject(
        job.userId,
        received,
        `too large: ${megabytes(received.sizeBytes)}, more than the ${limit} a file may have`,
      );
    }
    const bytes = await readFile(path);
    switch (detection.kind) {
      case 'strava-export-csv':
        return this.importStravaExport(job, csvAlone(bytes), 'activities.csv', received);
      case 'garmin-connect-csv':
        return this.exports.garminCsv(job, bytes, received);
      case 'garmin-connect-summaries':
        return this.exports.garminSummaries(job, bytes, received);
      case 'polar-flow-session':
        return this.exports.polarSession(job, bytes, received);
      default:
        // FIT, GPX, TCX (gzipped or not) — and binary files we do not know, which the FIT decoder names ("a PNG image").
        job.progress.expect(1);
        return this.importActivityBytes(job, bytes, received, job.limits.maxEntryBytes);
    }
  }

  private async importActivityBytes(job: ImportJob, bytes: Uint8Array, received: Received, maxBytes = DEFAULT_MAX_FIT_BYTES) {
    const result = await this.recorder.ownResult(job.userId, received, async () => {
      if (job.deadline.passed()) return this.recorder.reject(job.userId, received, job.deadline.reason());
      return this.recorder.store(job.userId, received, await this.decoder.activityFile(bytes, maxBytes));
    });
    job.progress.accounted(received.filename);
    return result;
  }

  private async importZip(job: ImportJob, path: string, head: Uint8Array, received: Received): Promise<FileImportResult> {
    const archive = await openZipArchive(path, job.limits, readable);
    return this.importArchive(
      job,
      archive,
      detectFormat(
        head,
        archive.allNames.filter((name) => !isClutter(name)),
      ),
      received,
    );
  }

  /** An archive (zip or folder) by what its entries make it; it is closed afterwards. */
  private async importArchive(
    job: ImportJob,
    archive: ActivityArchive,
    detection: Detection,
    received: Received,
  ): Promise<FileImportResult> {
    try {
      switch (detection.kind) {
        case 'strava-export': {
          const csv = archive.names.find((name) => EXPORT_CSV.test(name))!;
          return await this.importStravaExport(job, archive, csv, received);
        }
        case 'garmin-connect-export':
          return await this.exports.garminExport(job, archive, received);
        case 'apple-health-export':
          return await this.exports.appleExport(job, archive, received);
        case 'polar-flow-export':
          return await this.exports.polarExport(job, archive, received);
        case 'activity-files': {
          const entries = await this.importEachEntry(job, archive, received, received.filename);
          if (entries.length === 0)
            return this.recorder.reject(job.userId, received, 'no activity files in the archive (FIT, GPX or TCX, gzipped or not)');
          return await this.recorder.recordArchive(job.userId, received, entries);
        }
        default:
          return this.recorder.reject(job.userId, received, detection.message ?? `${detection.description}: nothing in it we read`);
      }
    } finally {
      await archive.close();
    }
  }

  /** The activity files of an archive, and those of the zips inside it (one level down). */
  private async importEachEntry(job: ImportJob, archive: ActivityArchive, received: Received, prefix: string, nested = false) {
    const results: FileImportResult[] = [];
    const files = archive.names.filter((name) => ACTIVITY_FILE.test(name));
    job.progress.expect(files.length);
    for (const name of files) {
      const entry: Received = { filename: `${prefix}/${name}`, sha256: '', sizeBytes: 0, channel: received.channel };
      const bytes = await archive.read(name).catch((error: unknown) => error);
      if (isRejection(bytes)) {
        results.push(await this.recorder.reject(job.userId, entry, bytes.message));
        job.progress.accounted(entry.filename);
      } else {
        const read = bytes as Buffer;
        results.push(await this.importActivityBytes(job, read, { ...entry, sha256: sha256(read), sizeBytes: read.length }));
      }
    }
    if (nested) return results;
    for (const name of archive.names.filter((entry) => /\.zip$/i.test(entry))) {
      const inner = { ...received, filename: `${prefix}/${name}`, sha256: '', sizeBytes: 0 };
      const wanted = (entry: string) => !isClutter(entry) && ACTIVITY_FILE.test(entry);
      results.push(
        ...(await withNestedZip(archive, name, job.limits, wanted, (zip) =>
          this.importEachEntry(job, zip, received, inner.filename, true),
        ).catch(async (error: unknown) => {
          if (!isRejection(error)) throw error;
          return [await this.recorder.reject(job.userId, inner, error.message)];
        })),
      );
    }
    return results;
  }

  /** activities.csv drives a Strava export: one run per line, measured from its file when it has one. */
  private async importStravaExport(
    job: ImportJob,
    archive: ActivityArchive,
    csvName: string,
    received: Received,
  ): Promise<FileImportResult> {
    const root = csvName.replace(/activities\.csv$/i, '');
    const activities = await this.decoder.activitiesCsv(await archive.read(csvName));
    job.progress.expect(activities.length);
    const results: FileImportResult[] = [];
    for (const activity of activities) {
      const { entry, file } = await this.stravaEntry(archive, root, activity);
      results.push(await this.recorder.storeEntry(job, received, entry, file, activity.filename ?? entry.ref));
    }
    return this.recorder.recordArchive(job.userId, received, results);
  }

  /**
   * One activity of a Strava export: from its file when the export has it and it can be read;
   * otherwise from the CSV row alone (summary only, with a warning saying why) — a later import
   * with the file upgrades the same run.
   */
  private async stravaEntry(
    archive: ActivityArchive,
    root: string,
    activity: ExportActivity,
  ): Promise<{ entry: ParsedEntry; file?: Pick<Received, 'sha256' | 'sizeBytes'> }> {
    if (!activity.filename) return { entry: mapExportActivity(activity, undefined) };
    const name = `${root}${activity.filename}`;
    if (!archive.names.includes(name)) {
      return { entry: summaryOnly(activity, `${activity.filename} is missing from the export: stored from its activities.csv row`) };
    }
    try {
      const bytes = await archive.read(name);
      const fromFile = pickExportSession(await this.decoder.activityFile(bytes, DEFAULT_MAX_FIT_BYTES), activity);
      const file = { sha256: sha256(bytes), sizeBytes: bytes.length };
      if (!fromFile)
        return { entry: summaryOnly(activity, `${activity.filename} holds no activity: stored from its activities.csv row`), file };
      return { entry: mapExportActivity(activity, fromFile), file };
    } catch (error) {
      if (!isRejection(error)) throw error;
      return {
        entry: summaryOnly(activity, `${activity.filename} could not be read (${error.message}): stored from its activities.csv row`),
      };
    }
  }
}

/** A Strava activity from its CSV row alone, saying why the file was not used. */
function summaryOnly(activity: ExportActivity, why: string): ParsedEntry {
  const entry = mapExportActivity(activity, undefined);
  return entry.status === 'parsed' ? { ...entry, warnings: [why, ...entry.warnings] } : { ...entry, reason: `${entry.reason} (${why})` };
}

/** An activities.csv handed over alone: an export whose every activity file is missing. */
function csvAlone(bytes: Buffer): ActivityArchive {
  return {
    names: ['activities.csv'],
    allNames: ['activities.csv'],
    read: async () => bytes,
    stream: async function* () {
      yield bytes;
    },
    close: async () => undefined,
  };
}

/** A Strava activity is one file; if the file holds several sessions, the longest of the CSV's sport stands for it. */
function pickExportSession(runs: MappedRun[], activity: ExportActivity): MappedRun | undefined {
  if (runs.length <= 1) return runs[0];
  const byLength = [...runs].sort((a, b) => b.distanceM - a.distanceM);
  const wanted = activity.type.toLowerCase();
  return byLength.find((run) => run.sourceSport?.toLowerCase().includes(wanted.split(' ')[0])) ?? byLength[0];
}
