import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox of domain events (libs/events): a write records what happened in its
 * own transaction, and the dispatcher turns each row into its follow-up jobs once it committed,
 * then deletes it. `queue_prefix` is the Redis key prefix of the deployment that wrote it (the
 * queues its jobs belong to).
 */
export class EventOutbox1796284115769 implements MigrationInterface {
  name = 'EventOutbox1796284115769';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_outbox (
        id bigserial PRIMARY KEY,
        queue_prefix text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX event_outbox_prefix_idx ON event_outbox (queue_prefix, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_outbox`);
  }
}
