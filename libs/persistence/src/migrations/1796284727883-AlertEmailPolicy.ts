import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email policy (libs/rules → email-policy.ts):
 *  - users.alert_emails replaces users.email_alerts: `all` (as they happen), `strongest` (pain
 *    coming earlier and high alerts only) or `none` (the weekly summary only);
 *  - alerts.covered_at / covered_severity: when an alert was last in an alert email (leading it or
 *    under "also this week") or settled as part of an episode already emailed, and the highest
 *    severity covered — an alert is emailed again only above it;
 *  - alerts.episode_start: an alert email went for it and began an episode with it: long-run spikes
 *    within the cooldown of such a spike join its episode;
 *  - alerts.notify_also: the alerts an alert's requested email carries under "also this week", in order.
 */
export class AlertEmailPolicy1796284727883 implements MigrationInterface {
  name = 'AlertEmailPolicy1796284727883';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE users ADD COLUMN alert_emails text NOT NULL DEFAULT 'all' CHECK (alert_emails IN ('all', 'strongest', 'none'))`,
    );
    await db.query(`UPDATE users SET alert_emails = 'none' WHERE NOT email_alerts`);
    await db.query(`ALTER TABLE users DROP COLUMN email_alerts`);
    await db.query(`ALTER TABLE alerts ADD COLUMN covered_at timestamptz`);
    await db.query(
      `ALTER TABLE alerts ADD COLUMN covered_severity text CHECK (covered_severity IN ('info', 'caution', 'warning', 'high'))`,
    );
    await db.query(`ALTER TABLE alerts ADD COLUMN episode_start boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE alerts ADD COLUMN notify_also uuid[] NOT NULL DEFAULT '{}'`);
    await db.query(
      `UPDATE alerts SET covered_at = notify_requested_at, covered_severity = notify_requested_severity, episode_start = true
        WHERE notify_requested_at IS NOT NULL`,
    );
    await db.query(`CREATE INDEX alerts_user_covered_idx ON alerts (user_id, covered_at DESC) WHERE covered_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX alerts_user_covered_idx`);
    await db.query(`ALTER TABLE alerts DROP COLUMN notify_also`);
    await db.query(`ALTER TABLE alerts DROP COLUMN episode_start`);
    await db.query(`ALTER TABLE alerts DROP COLUMN covered_severity`);
    await db.query(`ALTER TABLE alerts DROP COLUMN covered_at`);
    await db.query(`ALTER TABLE users ADD COLUMN email_alerts boolean NOT NULL DEFAULT true`);
    await db.query(`UPDATE users SET email_alerts = false WHERE alert_emails = 'none'`);
    await db.query(`ALTER TABLE users DROP COLUMN alert_emails`);
  }
}
