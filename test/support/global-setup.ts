import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { deleteStaleRedisKeys, dropStaleDatabases } from './stale-test-data';
import { databaseUrl, TEST_POSTGRES_URL, TEST_REDIS_URL, uniqueName } from './test-env';

const root = join(__dirname, '..', '..');

/**
 * Global setup runs outside jest's module mapper, so it uses the compiled libraries in dist/
 * (which it builds first: e2e tests start the compiled entry points too; swc, ~100 ms).
 */
export function compiledPersistence(): typeof import('../../libs/persistence/src') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(root, 'dist', 'libs', 'persistence', 'src'));
}

/**
 * Once per jest run (shared by the integration and e2e projects): build, then make a throwaway
 * database with all migrations applied and a Redis key prefix of its own, so test runs never see
 * each other's data. global-teardown removes both.
 */
export default async function globalSetup(): Promise<void> {
  const projectsUsingIt = Number(process.env.DELOAD_TEST_SETUPS ?? 0) + 1;
  process.env.DELOAD_TEST_SETUPS = String(projectsUsingIt);
  if (projectsUsingIt > 1) return;

  await removeLeftoversOfKilledRuns();
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: 'ignore' });
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions, ensureDatabase, runMigrationsLocked } = compiledPersistence();
  const url = databaseUrl(uniqueName('deload_test'));
  await ensureDatabase(url);
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env.DELOAD_TEST_DATABASE_URL = url;
  process.env.DELOAD_TEST_REDIS_PREFIX = uniqueName('deload-test').replace(/_/g, '-');
}

/** A killed run never reaches global-teardown: its database and Redis keys are removed here, by the next run. */
async function removeLeftoversOfKilledRuns(): Promise<void> {
  const databases = await dropStaleDatabases(TEST_POSTGRES_URL);
  const redisRuns = await deleteStaleRedisKeys(TEST_REDIS_URL);
  if (databases.length || redisRuns.length)
    process.stderr.write(
      `\nRemoved what earlier test runs left behind: ${databases.length} databases, the Redis keys of ${redisRuns.length} runs\n`,
    );
}
