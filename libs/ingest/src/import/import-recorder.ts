import { basename } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, MappedRun } from '@deload/domain';
import { ImportFilesRepository, UsersRepository } from '@deload/persistence';
import { ParsedEntry } from '../formats/parsed-entry';
import { FileImportResult, FileStatus } from '../import-result';
import { RunIngestService } from '../run-ingest.service';
import { plausibleRun } from '../run-validation';
import { ImportJob, Received, sha256 } from './import-job';

/** Whether an error is the file's fault (a reason for the runner) or ours (a bug to log and rethrow). */
export function isRejection(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** What the runner reads when importing one file failed on our side (the stack is in the log). */
const INTERNAL_FAILURE =
  'could not be imported because of an error on our side (it has been logged); nothing of this file was stored, try again later';

const withWarnings = (result: FileImportResult, warnings: string[]): FileImportResult =>
  warnings.length ? { ...result, warnings } : result;

/**
 * Writes what became of received files: each file's (or activity's) runs together with its
 * import_files row in one transaction, a rejection as a row with its reason, an archive as a row
 * summing up its entries. Every activity is accounted for this way: imported, duplicate, or
 * rejected with the reason.
 */
@Injectable()
export class ImportRecorder {
  private readonly logger = new Logger(ImportRecorder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly importFiles: ImportFilesRepository,
    private readonly runIngest: RunIngestService,
  ) {}

  /**
   * Runs one file's import so that its failure is its own result: a refused file is recorded as
   * rejected with its reason, and a failure on our side (a bug, a lost connection) is logged and
   * recorded as rejected too, so the other files of an upload or archive still get their answer.
   */
  async ownResult(userId: string, received: Received, work: () => Promise<FileImportResult>): Promise<FileImportResult> {
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

  /**
   * Stores a file's runs and its import_files row in one transaction (whose events re-evaluate the
   * runner and ask about new runs). A run whose start or distance cannot be real refuses the file;
   * an optional figure out of range is left out, with a warning on the result.
   */
  async store(userId: string, received: Received, runs: MappedRun[], warnings: string[] = []): Promise<FileImportResult> {
    const checked = runs.map((run) => plausibleRun(run));
    const allWarnings = [...warnings, ...checked.flatMap((check) => check.warnings)];
    return this.dataSource.transaction(async (manager) => {
      const row = await this.importFiles.record({ userId, ...received, status: 'imported', error: null, runsImported: 0 }, manager);
      const outcomes = await this.runIngest.upsertRuns(
        userId,
        checked.map((check) => check.run),
        { manager, importFileId: row.id },
      );
      const status: FileStatus = outcomes.some((run) => run.status === 'inserted' || run.status === 'updated') ? 'imported' : 'duplicate';
      const runsImported = outcomes.filter((run) => run.status === 'inserted').length;
      await this.importFiles.setOutcome(row.id, status, runsImported, manager);
      await this.users.markSynced(userId, manager);
      return withWarnings({ filename: received.filename, status, importFileId: row.id, runs: outcomes }, allWarnings);
    });
  }

  /**
   * One activity of an export: stored with its warnings, or recorded as rejected with its reason;
   * either way counted in the job's progress. `name` is how the runner sees it (the entry's ref
   * unless the caller has a better one, such as the Strava activity's file).
   */
  async storeEntry(job: ImportJob, parent: Received, entry: ParsedEntry, file?: Pick<Received, 'sha256' | 'sizeBytes'>, name = entry.ref) {
    const received: Received = {
      filename: `${parent.filename}/${name}`,
      sha256: file?.sha256 ?? sha256(JSON.stringify(entry)),
      sizeBytes: file?.sizeBytes ?? 0,
      channel: parent.channel,
    };
    const result = await this.ownResult(job.userId, received, async () => {
      if (job.deadline.passed()) return this.reject(job.userId, received, job.deadline.reason());
      if (entry.status === 'rejected') return this.reject(job.userId, received, entry.reason);
      return this.store(job.userId, received, [entry.run], entry.warnings);
    });
    job.progress.accounted(name);
    return result;
  }

  /** An archive's (or an export file's) own row, summing up its entries: rejected only when none could be imported. */
  async recordArchive(userId: string, received: Received, entries: FileImportResult[], warnings: string[] = []): Promise<FileImportResult> {
    const imported = entries.filter((entry) => entry.status === 'imported').length;
    const status: FileStatus = imported > 0 ? 'imported' : entries.every((entry) => entry.status === 'rejected') ? 'rejected' : 'duplicate';
    const reason = status === 'rejected' ? 'no activity in the archive could be imported' : undefined;
    const runsImported = entries.reduce((sum, entry) => sum + entry.runs.filter((run) => run.status === 'inserted').length, 0);
    const row = await this.importFiles.record({ userId, ...received, status, error: reason ?? null, runsImported });
    return withWarnings({ filename: received.filename, status, reason, importFileId: row.id, runs: [], entries }, warnings);
  }

  async reject(userId: string, received: Received, reason: string): Promise<FileImportResult> {
    const row = await this.importFiles.record({ userId, ...received, status: 'rejected', error: reason, runsImported: 0 });
    this.logger.log(`rejected ${basename(received.filename)} for user ${userId}: ${reason}`);
    return { filename: received.filename, status: 'rejected', reason, importFileId: row.id, runs: [] };
  }
}
