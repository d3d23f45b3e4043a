import { appendFile, writeFile } from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UploadRecord, UploadsRepository } from '@deload/persistence';
import { ActivityDecoder } from '../decode/activity-decoder';
import { FileImportService } from '../file-import.service';
import { ImportProgress } from '../import-progress';
import { FileImportResult } from '../import-result';
import { createUploadFolder, removeStaleUploadFolders } from './upload-folders';
import { publicResult } from './upload-results';

/** The row's progress is written at most this often while an import runs (the page polls it). */
const PROGRESS_EVERY_MS = 200;

export type UploadImportOutcome = 'done' | 'failed' | 'skipped';

/**
 * The worker's side of an upload (the `fit-ingest` job): copies the stored bytes to a private
 * temporary folder, imports each file with FileImportService (channel "upload") while writing the
 * progress to the `uploads` row, then records the per-file results and deletes the bytes in one
 * transaction. An error leaves the bytes (and the row "decoding") for the job's retry; the import
 * is idempotent by content, so runs stored by an attempt that crashed come back as duplicates,
 * never twice. After the last attempt the row says "failed" with the reason, the bytes still kept.
 */
@Injectable()
export class UploadImporter implements OnApplicationBootstrap {
  private readonly logger = new Logger(UploadImporter.name);

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly files: FileImportService,
    private readonly decoder: ActivityDecoder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.decoder.warmUp();
    const removed = await removeStaleUploadFolders();
    if (removed.length) this.logger.log(`removed ${removed.length} upload folder(s) left by a crash: ${removed.join(', ')}`);
  }

  /** `lastAttempt`: no retry follows, so a failure is recorded on the row for the runner. */
  async importUpload(uploadId: string, { lastAttempt = false } = {}): Promise<UploadImportOutcome> {
    const upload = await this.uploads.start(uploadId);
    if (!upload) return 'skipped'; // finished already (a job run twice), or the runner's account is gone
    const folder = await createUploadFolder();
    try {
      const paths = await this.copyToDisk(upload, folder);
      const progress = new ProgressWriter(this.uploads, upload);
      const results: FileImportResult[] = [];
      for (const [index, file] of upload.files.entries()) {
        progress.startFile(index);
        const options = { distanceUnit: upload.units ?? undefined, onProgress: (p: ImportProgress) => progress.heard(p) };
        results.push(await this.files.importFile(upload.userId, paths[index], { filename: file.filename, channel: 'upload' }, options));
        progress.endFile();
      }
      await progress.settled();
      const status = results.every((result) => result.status === 'rejected') ? 'failed' : 'done';
      await this.uploads.finish(uploadId, status, results.map(publicResult) as unknown as Record<string, unknown>[], progress.figures());
      return status;
    } catch (error) {
      const reason = `the import could not be completed: ${(error as Error).message}`;
      if (lastAttempt) await this.uploads.fail(uploadId, reason).catch(() => undefined);
      throw error;
    } finally {
      await rm(folder, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  /** Writes each stored file to the folder a piece at a time (never a whole file in memory). */
  private async copyToDisk(upload: UploadRecord, folder: string): Promise<string[]> {
    const paths: string[] = [];
    for (const index of upload.files.keys()) {
      const path = join(folder, String(index));
      await writeFile(path, new Uint8Array(0), { mode: 0o600 });
      for (let seq = 0; ; seq += 1) {
        const chunk = await this.uploads.chunk(upload.id, index, seq);
        if (!chunk) break;
        await appendFile(path, chunk);
      }
      paths.push(path);
    }
    return paths;
  }
}

/**
 * Activities accounted for over the whole upload: the files done, the one being imported (its
 * count once its archive is listed), and one for each file still to come. Writes are throttled
 * and one at a time.
 */
class ProgressWriter {
  private doneBefore = 0;
  private totalBefore = 0;
  private current: { done: number; total: number } = { done: 0, total: 1 };
  private index = 0;
  private lastWrite = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly upload: UploadRecord,
  ) {}

  startFile(index: number): void {
    this.index = index;
    this.current = { done: 0, total: 1 };
  }

  heard(progress: ImportProgress): void {
    this.current = { done: progress.done, total: Math.max(progress.total ?? 1, progress.done) };
    const now = Date.now();
    if (now - this.lastWrite < PROGRESS_EVERY_MS) return;
    this.lastWrite = now;
    const { done, total } = this.figures();
    this.writing = this.writing.then(() => this.uploads.setProgress(this.upload.id, done, total)).catch(() => undefined);
  }

  endFile(): void {
    this.doneBefore += Math.max(this.current.done, this.current.total);
    this.totalBefore += this.current.total;
    this.current = { done: 0, total: 0 };
  }

  figures(): { done: number; total: number } {
    const remaining = Math.max(0, this.upload.files.length - this.index - 1);
    const done = this.doneBefore + this.current.done;
    return { done, total: Math.max(done, this.totalBefore + this.current.total + remaining) };
  }

  settled(): Promise<void> {
    return this.writing;
  }
}
