import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The severity an alert had when its email was last requested, so the lifecycle re-sends only when
 * the severity rises above it (notified_severity is the notifier's: what was actually sent).
 * The partial index finds a runner's latest alert email quickly (one email a day).
 */
export class AlertNotifyRequestedSeverity1795233007461 implements MigrationInterface {
  name = 'AlertNotifyRequestedSeverity1795233007461';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE alerts ADD COLUMN notify_requested_severity text CHECK (notify_requested_severity IN ('info', 'caution', 'warning', 'high'))`,
    );
    await db.query(`UPDATE alerts SET notify_requested_severity = severity WHERE notify_requested_at IS NOT NULL`);
    await db.query(
      `CREATE INDEX alerts_user_notify_idx ON alerts (user_id, notify_requested_at DESC) WHERE notify_requested_at IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX alerts_user_notify_idx`);
    await db.query(`ALTER TABLE alerts DROP COLUMN notify_requested_severity`);
  }
}
