import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { testEnv } from './test-env';

/**
 * A connection to the run's throwaway database (already migrated by global-setup), for testing
 * repositories without booting Nest: `new UsersRepository(await openTestDatabase())`. Close it in afterAll.
 */
export function openTestDatabase(): Promise<DataSource> {
  return new DataSource({ ...dataSourceOptions(testEnv().DATABASE_URL), extra: { max: 4 } }).initialize();
}
