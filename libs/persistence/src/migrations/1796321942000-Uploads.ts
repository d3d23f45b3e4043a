import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploads decoded by the worker: the api stores each received file in `upload_chunks` (the bytes,
 * in pieces of at most a megabyte, so neither side ever holds a whole file in memory) with one
 * `uploads` row — the import the runner polls (GET /api/imports/:id) — and queues a `fit-ingest`
 * job. The worker decodes, records the per-file results on the row and deletes the chunks; on a
 * failure they stay for the retry.
 */
export class Uploads1796321942000 implements MigrationInterface {
  name = 'Uploads1796321942000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE uploads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'decoding', 'done', 'failed')),
        units text CHECK (units IN ('km', 'mi')),
        files jsonb NOT NULL,
        progress_done integer NOT NULL DEFAULT 0,
        progress_total integer NOT NULL DEFAULT 0,
        results jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX uploads_user_idx ON uploads (user_id, created_at DESC)`);
    await db.query(`
      CREATE TABLE upload_chunks (
        upload_id uuid NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
        file_index integer NOT NULL,
        seq integer NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (upload_id, file_index, seq)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE upload_chunks`);
    await db.query(`DROP TABLE uploads`);
  }
}
