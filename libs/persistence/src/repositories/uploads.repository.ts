import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TableRepository } from './table-repository';

export type UploadStatus = 'queued' | 'decoding' | 'done' | 'failed';

/** One file of an upload as received: its bytes wait in upload_chunks until the worker has imported it. */
export interface UploadedFile {
  filename: string;
  sizeBytes: number;
}

/** An upload (an import the runner polls), without its bytes. */
export interface UploadRecord {
  id: string;
  userId: string;
  status: UploadStatus;
  /** The form's `units` field, passed to the import. */
  units: 'km' | 'mi' | null;
  files: UploadedFile[];
  progress: { done: number; total: number };
  /** Per file, in the public shape the api answers with; set once done or failed. */
  results: Record<string, unknown>[] | null;
  /** Why the import could not be done at all (not a file's rejection: that is in `results`). */
  error: string | null;
  attempts: number;
  createdAt: Date;
}

interface UploadRow {
  id: string;
  user_id: string;
  status: UploadStatus;
  units: 'km' | 'mi' | null;
  files: UploadedFile[];
  progress_done: number;
  progress_total: number;
  results: Record<string, unknown>[] | null;
  error: string | null;
  attempts: number;
  created_at: Date;
}

const toRecord = (row: UploadRow): UploadRecord => ({
  id: row.id,
  userId: row.user_id,
  status: row.status,
  units: row.units,
  files: row.files,
  progress: { done: row.progress_done, total: row.progress_total },
  results: row.results,
  error: row.error,
  attempts: row.attempts,
  createdAt: new Date(row.created_at),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** uploads and upload_chunks: files received over HTTP, waiting for (or done with) the worker's import. */
@Injectable()
export class UploadsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** A new upload (status queued) inside the caller's transaction; returns its id. */
  async create(userId: string, files: UploadedFile[], units: 'km' | 'mi' | undefined, tx: EntityManager): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO uploads (user_id, units, files, progress_total) VALUES ($1, $2, $3::jsonb, $4) RETURNING id`,
      [userId, units ?? null, JSON.stringify(files), files.length],
    );
    return rows[0].id;
  }

  /** Appends one piece of a file's bytes (`seq` counts from 0 per file). */
  async appendChunk(uploadId: string, fileIndex: number, seq: number, bytes: Buffer, tx: EntityManager): Promise<void> {
    await tx.query(`INSERT INTO upload_chunks (upload_id, file_index, seq, bytes) VALUES ($1, $2, $3, $4)`, [
      uploadId,
      fileIndex,
      seq,
      bytes,
    ]);
  }

  /** One piece of a file's bytes, or undefined past its end. */
  async chunk(uploadId: string, fileIndex: number, seq: number): Promise<Buffer | undefined> {
    const rows: { bytes: Buffer }[] = await this.db().query(
      `SELECT bytes FROM upload_chunks WHERE upload_id = $1 AND file_index = $2 AND seq = $3`,
      [uploadId, fileIndex, seq],
    );
    return rows[0]?.bytes;
  }

  /** The upload, when `userId` (if given) owns it; undefined otherwise or for an id that is not one. */
  async find(id: string, userId?: string): Promise<UploadRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows: UploadRow[] = await this.db().query(`SELECT * FROM uploads WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`, [
      id,
      userId ?? null,
    ]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Marks an attempt as started (status decoding); returns the upload unless it is already finished. */
  async start(id: string): Promise<UploadRecord | undefined> {
    // An UPDATE … RETURNING answers [rows, affected count].
    const [rows]: [UploadRow[], number] = await this.db().query(
      `UPDATE uploads SET status = 'decoding', attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'decoding') RETURNING *`,
      [id],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async setProgress(id: string, done: number, total: number): Promise<void> {
    await this.db().query(
      `UPDATE uploads SET progress_done = $2, progress_total = $3, updated_at = now() WHERE id = $1 AND status = 'decoding'`,
      [id, done, total],
    );
  }

  /** Records the outcome and forgets the bytes, in one transaction. */
  async finish(
    id: string,
    status: 'done' | 'failed',
    results: Record<string, unknown>[],
    progress: { done: number; total: number },
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE uploads SET status = $2, results = $3::jsonb, progress_done = $4, progress_total = $5, error = NULL, updated_at = now()
          WHERE id = $1`,
        [id, status, JSON.stringify(results), progress.done, progress.total],
      );
      await tx.query(`DELETE FROM upload_chunks WHERE upload_id = $1`, [id]);
    });
  }

  /** The import could not be done (every retry failed): the bytes stay so it can be tried again. */
  async fail(id: string, error: string): Promise<void> {
    await this.db().query(`UPDATE uploads SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [id, error]);
  }

  /** Deletes uploads finished more than `retentionDays` before `now` (a failed one's kept bytes with it); returns how many. */
  async deleteFinishedBefore(now: Date, retentionDays: number): Promise<number> {
    const [, affected] = await this.db().query(
      `DELETE FROM uploads WHERE status IN ('done', 'failed') AND updated_at < $1::timestamptz - make_interval(days => $2)`,
      [now, retentionDays],
    );
    return affected ?? 0;
  }
}
