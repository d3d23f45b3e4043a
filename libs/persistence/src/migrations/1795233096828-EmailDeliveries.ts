import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails sent exactly once: every email Deload sends is claimed in email_deliveries (one row per
 * kind and dedupe key, with the Message-ID chosen before sending). One pain report per run, so a
 * re-imported description or a second click updates instead of adding. Coaches can turn their
 * weekly team digest off on its own.
 */
export class EmailDeliveries1795233096828 implements MigrationInterface {
  name = 'EmailDeliveries1795233096828';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE email_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('alert', 'pain-checkin', 'weekly-summary', 'coach-digest')),
        dedupe_key text NOT NULL,
        message_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        claimed_at timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, dedupe_key)
      )`);
    await db.query(`CREATE INDEX email_deliveries_user_idx ON email_deliveries (user_id, created_at DESC)`);
    await db.query(`DROP INDEX pain_reports_run_idx`);
    await db.query(`CREATE UNIQUE INDEX pain_reports_one_per_run ON pain_reports (run_id)`);
    await db.query(`ALTER TABLE users ADD COLUMN email_coach_digest boolean NOT NULL DEFAULT true`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN email_coach_digest`);
    await db.query(`DROP INDEX pain_reports_one_per_run`);
    await db.query(`CREATE INDEX pain_reports_run_idx ON pain_reports (run_id)`);
    await db.query(`DROP TABLE email_deliveries`);
  }
}
