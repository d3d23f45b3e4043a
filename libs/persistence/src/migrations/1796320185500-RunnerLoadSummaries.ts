import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coach's team page reads each runner's load summary precomputed (libs/dashboard →
 * load-summary-store.ts) instead of every run of the last 24 weeks.
 *
 * `runner_load_versions` counts changes to what a summary is computed from: triggers on `runs`,
 * `run_sources`, `shoes` and `pain_reports` bump it in the same statement as the write (whoever
 * writes: uploads, Strava, edits, merges, deletions), so a summary can never be read stale. A
 * summary holds the load figures, the shoes with their distances and the latest pain report. `runner_load_summaries` holds one summary per
 * runner and viewer kind (with or without Strava-only runs), with what it was computed from: the
 * version, the runner's time zone and sync mark, and the span of time it holds for (the runner's
 * local day, cut at the nearest run before and after). A summary whose version, zone or sync mark
 * differs, or whose span does not hold `now`, is recomputed from the runs and stored again.
 * Nothing needs a backfill: a runner without a stored summary is computed on first read (and the
 * evaluation job stores it after each change).
 */
/** What a stored summary is computed from: each has the runner's `user_id`. */
const TABLES = ['runs', 'run_sources', 'shoes', 'pain_reports'];

export class RunnerLoadSummaries1796320185500 implements MigrationInterface {
  name = 'RunnerLoadSummaries1796320185500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE runner_load_versions (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        version bigint NOT NULL DEFAULT 1
      )`);
    await db.query(`
      CREATE TABLE runner_load_summaries (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        include_strava boolean NOT NULL,
        version bigint NOT NULL,
        timezone text NOT NULL,
        synced_through timestamptz,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        summary json NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, include_strava)
      )`);
    // Statement-level triggers with transition tables: one bump per runner per statement, however many rows.
    await db.query(`
      CREATE FUNCTION bump_runner_load_versions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO runner_load_versions (user_id)
            SELECT DISTINCT user_id FROM changed_new ORDER BY user_id
            ON CONFLICT (user_id) DO UPDATE SET version = runner_load_versions.version + 1;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          -- a runner being deleted takes their rows along: nothing to bump
          INSERT INTO runner_load_versions (user_id)
            SELECT DISTINCT o.user_id FROM changed_old o JOIN users u ON u.id = o.user_id ORDER BY o.user_id
            ON CONFLICT (user_id) DO UPDATE SET version = runner_load_versions.version + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION forget_runner_load_summaries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM runner_load_summaries;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await db.query(
        `CREATE TRIGGER ${table}_load_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION bump_runner_load_versions()`,
      );
      await db.query(
        `CREATE TRIGGER ${table}_load_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION bump_runner_load_versions()`,
      );
      await db.query(
        `CREATE TRIGGER ${table}_load_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION bump_runner_load_versions()`,
      );
      await db.query(
        `CREATE TRIGGER ${table}_load_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION forget_runner_load_summaries()`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of TABLES)
      for (const event of ['insert', 'update', 'delete', 'truncate']) await db.query(`DROP TRIGGER ${table}_load_${event} ON ${table}`);
    await db.query(`DROP FUNCTION forget_runner_load_summaries()`);
    await db.query(`DROP FUNCTION bump_runner_load_versions()`);
    await db.query(`DROP TABLE runner_load_summaries`);
    await db.query(`DROP TABLE runner_load_versions`);
  }
}
