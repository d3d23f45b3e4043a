import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook event whose job ran out of attempts while Strava failed stays pending: `attempts`
 * counts the job runs that gave up, `retry_at` is when the inbox sweep queues it again (spaced
 * out, for days). `source` tells Strava's pushes from the events the daily reconciliation adds
 * for activities that never arrived.
 */
export class WebhookEventRetries1796284115771 implements MigrationInterface {
  name = 'WebhookEventRetries1796284115771';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_events ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE webhook_events ADD COLUMN retry_at timestamptz`);
    await db.query(
      `ALTER TABLE webhook_events ADD COLUMN source text NOT NULL DEFAULT 'push' CHECK (source IN ('push', 'reconciliation'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_events DROP COLUMN source`);
    await db.query(`ALTER TABLE webhook_events DROP COLUMN retry_at`);
    await db.query(`ALTER TABLE webhook_events DROP COLUMN attempts`);
  }
}
