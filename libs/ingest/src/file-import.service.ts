import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, MappedRun } from '@deload/domain';
import { DEFAULT_MAX_FIT_BYTES } from '@deload/fit';
import { ImportFilesRepository, UsersRepository } from '@deload/persistence';
import { ActivityArchive, isClutter } from './archive/activity-archive';
import { ArchiveError } from './archive/archive-error';
import { openFolderArchive } from './archive/folder-archive';
import { ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive/limits';
import { openZipArchive } from './archive/zip-archive';
import { ActivityDecoder } from './decode/activity-decoder';
import { sniff } from './formats/activity-file';
import { DistanceUnit } from './formats/garmin-connect-csv';
import { ExportActivity, overlayExportActivity } from './formats/strava-export-csv';
import { TrackFormatError } from './formats/track-format-error';
import { FileImportResult, FileStatus, ImportSource } from './import-result';
import { ImportProgressListener } from './import-progress';
import { RunIngestService } from './run-ingest.service';
import { assertPlausible } from './run-validation';

const ACTIVITY_FILE = /\.(fit|gpx|tcx)(\.gz)?$/i;
const EXPORT_CSV = /(^|\/)activities\.csv$/i;

export interface FileImportOptions {
  limits?: Partial<ArchiveLimits>;
  /** Told after each activity accounted for (the CLI's progress bar). */
  onProgress?: ImportProgressListener;
  /** The unit of a Garmin Connect CSV's distances when the file leaves it open (the runner said so). */
  distanceUnit?: DistanceUnit;
}

/** Whether an error is the file's fault (a reason for the runner) or ours (a bug to log and rethrow). */
function isRejection(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** What the runner reads when importing one file failed on our side (the stack is in the log). */
const INTERNAL_FAILURE =
  'could not be imported because of an error on our side (it has been logged); nothing of this file was stored, try again later';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

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

interface Received {
  filename: string;
  sha256: string;
  sizeBytes: number;
  channel: ImportSource['channel'];
}

/**
 * Imports files for a runner: single FIT / GPX / TCX files (gzipped or not), zips of them, and
 * Strava bulk exports (zip or unpacked folder with activities.csv). Each activity file is
 * stored in its own transaction together with its import_files row, so a rejected file leaves
 * nothing behind but the record of its rejection; archive-wide problems (zip bomb, unsafe entry
 * names, an activities.csv without the columns we need) reject the archive before anything in it
 * is stored. Whatever goes wrong with one file is that file's result: the files before and after it
 * are imported as usual. Decoding runs off the event loop under a time and memory budget
 * (ActivityDecoder); an archive as a whole has a time budget too (ArchiveLimits.maxSeconds).
 */
@Injectable()
export class FileImportService {
  private readonly logger = new Logger(FileImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly importFiles: ImportFilesRepository,
    private readonly runIngest: RunIngestService,
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
      const info = await stat(path);
      if (!info.isDirectory()) results.push(await this.importFile(userId, path, { filename: path, channel }, options));
      else if ((await readdir(path)).some((name) => EXPORT_CSV.test(name)))
        results.push(
          await this.ownResult(userId, { filename: path, sha256: sha256(Buffer.from(path)), sizeBytes: 0, channel }, () =>
            this.importExportFolder(userId, path, channel, options),
          ),
        );
      else {
        const names = (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isFile() && !isClutter(entry.name));
        for (const entry of names)
          results.push(await this.importFile(userId, join(path, entry.name), { filename: join(path, entry.name), channel }, options));
      }
    }
    return results;
  }

  /** One file on disk (an upload saved to a temporary file, a CLI argument, a watched-folder file). */
  async importFile(userId: string, path: string, source: ImportSource, options: FileImportOptions = {}): Promise<FileImportResult> {
    const received = { filename: source.filename, sha256: '', sizeBytes: 0, channel: source.channel };
    return this.ownResult(userId, received, () => this.importFileOnDisk(userId, path, source, options));
  }

  /**
   * Runs one file's import so that its failure is its own result: a refused file is recorded as
   * rejected with its reason, and a failure on our side (a bug, a lost connection) is logged and
   * recorded as rejected too, so the other files of an upload or archive still get their answer.
   * Each file's runs are written in one transaction, so a failed file leaves nothing half-written.
   */
  private async ownResult(userId: string, received: Received, work: () => Promise<FileImportResult>): Promise<FileImportResult> {
    try {
      return await work();
    } catch (error) {
      if (isRejection(error)) return this.reject(userId, received, error.message);
      this.logger.error(`importing ${basename(received.filename)} for user ${userId} failed: ${(error as Error).stack ?? String(error)}`);
      try {
        return await this.reject(userId, received, INTERNAL_FAILURE);
      } catch {
        throw error;
      }
    }
  }

  private async importFileOnDisk(
    userId: string,
    path: string,
    source: ImportSource,
    options: FileImportOptions,
  ): Promise<FileImportResult> {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
    const { size } = await stat(path);
    if (sniff(await firstBytes(path, 16)) === 'zip') return this.importZip(userId, path, source, limits);
    const received = { filename: source.filename, sizeBytes: size, channel: source.channel };
    if (size > limits.maxEntryBytes) {
      return this.reject(
        userId,
        { ...received, sha256: await sha256OfFile(path) },
        `too large: ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.round(limits.maxEntryBytes / 1024 / 1024)} MB an activity file may have`,
      );
    }
    const bytes = await readFile(path);
    return this.importActivityBytes(userId, bytes, { ...received, sha256: sha256(bytes) }, limits.maxEntryBytes);
  }

  private async importActivityBytes(
    userId: string,
    bytes: Uint8Array,
    received: Received,
    maxBytes = DEFAULT_MAX_FIT_BYTES,
  ): Promise<FileImportResult> {
    return this.ownResult(userId, received, async () => {
      const runs = await this.decoder.activityFile(bytes, maxBytes);
      for (const run of runs) assertPlausible(run);
      return this.store(userId, received, runs);
    });
  }

  private async importZip(userId: string, path: string, source: ImportSource, limits: ArchiveLimits): Promise<FileImportResult> {
    const received: Received = {
      filename: source.filename,
      sha256: await sha256OfFile(path),
      sizeBytes: (await stat(path)).size,
      channel: source.channel,
    };
    let archive: ActivityArchive;
    try {
      archive = await openZipArchive(path, limits, (name) => !isClutter(name) && (ACTIVITY_FILE.test(name) || EXPORT_CSV.test(name)));
    } catch (error) {
      if (!isRejection(error)) throw error;
      return this.reject(userId, received, error.message);
    }
    return this.importArchive(userId, archive, received, limits);
  }

  private async importExportFolder(
    userId: string,
    path: string,
    channel: ImportSource['channel'],
    options: FileImportOptions,
  ): Promise<FileImportResult> {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
    const received: Received = { filename: path, sha256: createHash('sha256').update(path).digest('hex'), sizeBytes: 0, channel };
    try {
      const archive = await openFolderArchive(
        path,
        limits,
        (name) => !isClutter(name) && (ACTIVITY_FILE.test(name) || EXPORT_CSV.test(name)),
      );
      return await this.importArchive(userId, archive, received, limits);
    } catch (error) {
      if (!isRejection(error)) throw error;
      return this.reject(userId, received, error.message);
    }
  }

  private async importArchive(
    userId: string,
    archive: ActivityArchive,
    received: Received,
    limits: ArchiveLimits,
  ): Promise<FileImportResult> {
    const deadline = new ArchiveDeadline(limits.maxSeconds);
    try {
      const csv = archive.names.find((name) => EXPORT_CSV.test(name));
      const entries = csv
        ? await this.importStravaExport(userId, archive, csv, received, deadline)
        : await this.importEachEntry(userId, archive, received, deadline);
      if (entries.length === 0) return this.reject(userId, received, 'no activity files in the archive (FIT, GPX or TCX, gzipped or not)');
      return this.recordArchive(userId, received, entries);
    } catch (error) {
      if (!isRejection(error)) throw error;
      return this.reject(userId, received, error.message);
    } finally {
      await archive.close();
    }
  }

  private async importEachEntry(
    userId: string,
    archive: ActivityArchive,
    received: Received,
    deadline: ArchiveDeadline,
  ): Promise<FileImportResult[]> {
    const results: FileImportResult[] = [];
    for (const name of archive.names.filter((entry) => ACTIVITY_FILE.test(entry))) {
      const entry = { filename: `${received.filename}/${name}`, channel: received.channel };
      if (deadline.passed()) {
        results.push(await this.reject(userId, { ...entry, sha256: '', sizeBytes: 0 }, deadline.reason()));
        continue;
      }
      const bytes = await this.readEntry(archive, name);
      if (typeof bytes === 'string') results.push(await this.reject(userId, { ...entry, sha256: '', sizeBytes: 0 }, bytes));
      else results.push(await this.importActivityBytes(userId, bytes, { ...entry, sha256: sha256(bytes), sizeBytes: bytes.length }));
    }
    return results;
  }

  /** The entry's bytes, or the reason it cannot be read (a lying size header, a damaged entry). */
  private async readEntry(archive: ActivityArchive, name: string): Promise<Buffer | string> {
    try {
      return await archive.read(name);
    } catch (error) {
      if (error instanceof ArchiveError) return error.message;
      throw error;
    }
  }

  /** activities.csv drives a Strava export: one run per line, measured from its file when it has one. */
  private async importStravaExport(
    userId: string,
    archive: ActivityArchive,
    csvName: string,
    received: Received,
    deadline: ArchiveDeadline,
  ): Promise<FileImportResult[]> {
    const root = csvName.replace(/activities\.csv$/i, '');
    const activities = await this.decoder.activitiesCsv(await archive.read(csvName));
    const results: FileImportResult[] = [];
    for (const activity of activities) {
      results.push(await this.importExportActivity(userId, archive, root, activity, received, deadline));
    }
    return results;
  }

  private async importExportActivity(
    userId: string,
    archive: ActivityArchive,
    root: string,
    activity: ExportActivity,
    received: Received,
    deadline: ArchiveDeadline,
  ): Promise<FileImportResult> {
    const entryName = activity.filename ? `${root}${activity.filename}` : undefined;
    const entry: Received = {
      filename: `${received.filename}/${activity.filename ?? `activities.csv line ${activity.line}`}`,
      sha256: sha256(Buffer.from(JSON.stringify(activity))),
      sizeBytes: 0,
      channel: received.channel,
    };
    return this.ownResult(userId, entry, async () => {
      if (deadline.passed()) throw new TrackFormatError(deadline.reason());
      if (!activity.activityId) throw new TrackFormatError(`activities.csv line ${activity.line} has no Activity ID`);
      let fromFile: MappedRun | undefined;
      if (entryName) {
        if (!archive.names.includes(entryName))
          throw new TrackFormatError(`${activity.filename} is listed in activities.csv but missing from the export`);
        const bytes = await archive.read(entryName);
        Object.assign(entry, { sha256: sha256(bytes), sizeBytes: bytes.length });
        fromFile = pickExportSession(await this.decoder.activityFile(bytes, DEFAULT_MAX_FIT_BYTES), activity);
      }
      const run = overlayExportActivity(activity, fromFile);
      assertPlausible(run);
      return this.store(userId, entry, [run]);
    });
  }

  /** Stores a file's runs and its import_files row in one transaction (whose events re-evaluate the runner and ask about new runs). */
  private async store(userId: string, received: Received, runs: MappedRun[]): Promise<FileImportResult> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.importFiles.record({ userId, ...received, status: 'imported', error: null, runsImported: 0 }, manager);
      const outcomes = await this.runIngest.upsertRuns(userId, runs, { manager, importFileId: row.id });
      const status: FileStatus = outcomes.some((run) => run.status === 'inserted' || run.status === 'updated') ? 'imported' : 'duplicate';
      const runsImported = outcomes.filter((run) => run.status === 'inserted').length;
      await this.importFiles.setOutcome(row.id, status, runsImported, manager);
      await this.users.markSynced(userId, manager);
      return { filename: received.filename, status, importFileId: row.id, runs: outcomes };
    });
  }

  private async recordArchive(userId: string, received: Received, entries: FileImportResult[]): Promise<FileImportResult> {
    const imported = entries.filter((entry) => entry.status === 'imported').length;
    const status: FileStatus = imported > 0 ? 'imported' : entries.every((entry) => entry.status === 'rejected') ? 'rejected' : 'duplicate';
    const reason = status === 'rejected' ? 'no activity in the archive could be imported' : undefined;
    const runsImported = entries.reduce((sum, entry) => sum + entry.runs.filter((run) => run.status === 'inserted').length, 0);
    const row = await this.importFiles.record({ userId, ...received, status, error: reason ?? null, runsImported });
    return { filename: received.filename, status, reason, importFileId: row.id, runs: [], entries };
  }

  private async reject(userId: string, received: Received, reason: string): Promise<FileImportResult> {
    const row = await this.importFiles.record({ userId, ...received, status: 'rejected', error: reason, runsImported: 0 });
    this.logger.log(`rejected ${basename(received.filename)} for user ${userId}: ${reason}`);
    return { filename: received.filename, status: 'rejected', reason, importFileId: row.id, runs: [] };
  }
}

/** The time an archive's import may take; the files left when it runs out are refused, each with the reason. */
class ArchiveDeadline {
  private readonly endsAt: number;

  constructor(private readonly seconds: number) {
    this.endsAt = Date.now() + seconds * 1000;
  }

  passed(): boolean {
    return Date.now() > this.endsAt;
  }

  reason(): string {
    return `not imported: the archive took longer than ${Math.round(this.seconds / 60)} minutes to import; upload the rest in smaller parts`;
  }
}

/** A Strava activity is one file; if the file holds several sessions, the longest of the CSV's sport stands for it. */
function pickExportSession(runs: MappedRun[], activity: ExportActivity): MappedRun | undefined {
  if (runs.length <= 1) return runs[0];
  const byLength = [...runs].sort((a, b) => b.distanceM - a.distanceM);
  const wanted = activity.type.toLowerCase();
  return byLength.find((run) => run.sourceSport?.toLowerCase().includes(wanted.split(' ')[0])) ?? byLength[0];
}
