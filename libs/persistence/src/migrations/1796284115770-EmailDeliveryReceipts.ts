import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails are never assumed delivered: a claim names the process that sends (`claimed_by`, see
 * ProcessPresence), an attempt that stopped before the server answered is counted in
 * `interrupted_attempts` and sent again with the same Message-ID, and `receipt` keeps what
 * confirmed the delivery (the SMTP server's reply, or the outbox file).
 */
export class EmailDeliveryReceipts1796284115770 implements MigrationInterface {
  name = 'EmailDeliveryReceipts1796284115770';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE email_deliveries ADD COLUMN claimed_by text`);
    await db.query(`ALTER TABLE email_deliveries ADD COLUMN interrupted_attempts integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE email_deliveries ADD COLUMN receipt text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE email_deliveries DROP COLUMN receipt`);
    await db.query(`ALTER TABLE email_deliveries DROP COLUMN interrupted_attempts`);
    await db.query(`ALTER TABLE email_deliveries DROP COLUMN claimed_by`);
  }
}
