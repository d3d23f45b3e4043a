import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shoes a runner keeps by hand (issue 15): brand and model, the distance already on a pair when it
 * was added (counted before any run we store), the sports a shoe is the default for (runs without
 * gear get it at ingest), and which fields the runner changed here, so a Strava sync keeps them.
 */
export class ShoesFirstClass1796300000000 implements MigrationInterface {
  name = 'ShoesFirstClass1796300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE shoes
        ADD COLUMN brand text,
        ADD COLUMN model text,
        ADD COLUMN starting_distance_m double precision NOT NULL DEFAULT 0 CHECK (starting_distance_m >= 0),
        ADD COLUMN default_for_sports text[] NOT NULL DEFAULT '{}',
        ADD COLUMN locally_edited text[] NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE shoes
        DROP COLUMN brand, DROP COLUMN model, DROP COLUMN starting_distance_m,
        DROP COLUMN default_for_sports, DROP COLUMN locally_edited`);
  }
}
