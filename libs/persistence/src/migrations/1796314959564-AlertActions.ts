import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What runners and coaches did about an alert: acknowledged it (seen), dismissed it with a reason
 * and an optional note, or withdrew that. `alert_actions` keeps every action with who and when;
 * `alerts.response*` holds the one in force, which the lifecycle reads (libs/rules → email-policy.ts).
 */
export class AlertActions1796314959564 implements MigrationInterface {
  name = 'AlertActions1796314959564';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE alerts
        ADD COLUMN response text CHECK (response IN ('acknowledged', 'dismissed')),
        ADD COLUMN response_at timestamptz,
        ADD COLUMN response_severity text CHECK (response_severity IN ('info', 'caution', 'warning', 'high')),
        ADD CONSTRAINT alerts_response_complete CHECK ((response IS NULL) = (response_at IS NULL) AND (response IS NULL) = (response_severity IS NULL))`);
    await db.query(`
      CREATE TABLE alert_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        action text NOT NULL CHECK (action IN ('acknowledged', 'dismissed', 'withdrawn')),
        reason text CHECK (reason IN ('planned-race', 'seeing-physio', 'wrong-data', 'other')),
        note text CHECK (length(note) <= 500),
        severity text NOT NULL CHECK (severity IN ('info', 'caution', 'warning', 'high')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((action = 'dismissed') = (reason IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX alert_actions_alert_idx ON alert_actions (alert_id, created_at)`);
    await db.query(`CREATE INDEX alert_actions_actor_idx ON alert_actions (actor_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE alert_actions`);
    await db.query(
      `ALTER TABLE alerts DROP CONSTRAINT alerts_response_complete, DROP COLUMN response, DROP COLUMN response_at, DROP COLUMN response_severity`,
    );
  }
}
