import { MigrationInterface, QueryRunner } from 'typeorm';

/** The app's Strava push subscription (one per app), so webhook intake can check subscription_id; and a fast way to the inbox's stragglers. */
export class StravaPushSubscriptions1795236081105 implements MigrationInterface {
  name = 'StravaPushSubscriptions1795236081105';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE strava_push_subscriptions (
        id bigint PRIMARY KEY,
        callback_url text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX webhook_events_pending_idx ON webhook_events (provider, received_at) WHERE status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_events_pending_idx`);
    await db.query(`DROP TABLE strava_push_subscriptions`);
  }
}
