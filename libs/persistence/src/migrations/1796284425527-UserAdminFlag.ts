import { MigrationInterface, QueryRunner } from 'typeorm';

/** Operators (set by `deload admin grant`): see every email in the outbox but other people's sign-in links. */
export class UserAdminFlag1796284425527 implements MigrationInterface {
  name = 'UserAdminFlag1796284425527';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN is_admin`);
  }
}
