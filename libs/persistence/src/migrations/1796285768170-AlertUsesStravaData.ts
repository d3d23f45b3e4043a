import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether an alert's facts were computed from Strava data: then only the runner (or a coach with
 * Strava sharing) sees them, and a deauthorization removes the alert. Alerts from before are
 * marked for every runner who has, or had, Strava runs: when in doubt, the facts are Strava's.
 */
export class AlertUsesStravaData1796285768170 implements MigrationInterface {
  name = 'AlertUsesStravaData1796285768170';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alerts ADD COLUMN uses_strava_data boolean NOT NULL DEFAULT false`);
    await db.query(
      `UPDATE alerts SET uses_strava_data = true
        WHERE user_id IN (SELECT user_id FROM strava_connections UNION SELECT user_id FROM run_sources WHERE source = 'strava')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alerts DROP COLUMN uses_strava_data`);
  }
}
