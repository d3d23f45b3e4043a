import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a runner changes on their runs list (issue 15):
 * - `runs.not_a_run`: the runner marked the activity "not a run" (a bike ride logged as a run, a
 *   watch left on). It then counts as no running load: `is_run` is false while it is set, and a
 *   source reporting the activity again does not make it a run again. Reversible.
 * - `deleted_run_records`: the Strava activities of runs the runner deleted. The Strava sync
 *   (webhook, backfill, reconciliation) skips them, so a deleted run does not come back. A file
 *   the runner uploads again is their explicit wish and is imported again.
 */
export class RunEdits1796310000000 implements MigrationInterface {
  name = 'RunEdits1796310000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE runs ADD COLUMN not_a_run boolean NOT NULL DEFAULT false`);
    await db.query(`
      CREATE TABLE deleted_run_records (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source text NOT NULL,
        external_id text NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, source, external_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE deleted_run_records`);
    await db.query(`ALTER TABLE runs DROP COLUMN not_a_run`);
  }
}
