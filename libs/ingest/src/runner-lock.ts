import type { EntityManager } from 'typeorm';

/**
 * Serialises, until the transaction ends, every write to one runner's runs and source data
 * (imports, Strava sync, removal of a source). Re-entrant within a transaction.
 */
export async function lockRunnerData(manager: EntityManager, userId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`deload:runs:${userId}`]);
}
