import { DynamicModule, INestApplicationContext, Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '../../libs/config/src';
import { PersistenceModule } from '../../libs/persistence/src';
import { testEnv } from './test-env';

export interface IntegrationModuleOptions {
  /** Environment on top of `testEnv()` (the run's database, the file's Redis prefix). */
  env?: Record<string, string>;
  /** Providers under test that no imported module exports. */
  providers?: Provider[];
}

/**
 * The Nest context an integration test needs: configuration from `testEnv()`, the run's
 * PostgreSQL (PersistenceModule, migrated by global-setup) and the modules under test, started
 * (`init`) without logs. Close it in `afterAll`.
 *
 *   app = await integrationModule([QueueModule, IngestModule], { env: { IMPORT_DIR: root } });
 */
export async function integrationModule(
  imports: (Type | DynamicModule)[],
  options: IntegrationModuleOptions = {},
): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule.forRoot(testEnv(options.env)), PersistenceModule, ...imports], providers: options.providers ?? [] })
  class IntegrationTestModule {}
  return NestFactory.createApplicationContext(IntegrationTestModule, { logger: false });
}
