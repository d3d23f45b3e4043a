import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '@deload/config';
import { dataSourceOptions } from './data-source-options';
import { ENTITIES } from './entities';
import { ConnectRetries, openDatabase } from './open-database';
import { HousekeepingService } from './housekeeping.service';
import { ProcessPresence } from './process-presence';
import { runMigrationsLocked } from './migrate';
import { REPOSITORIES } from './repositories';

/** PostgreSQL may still be starting (docker compose): DATABASE_CONNECT_RETRIES tries this far apart. */
const CONNECT_RETRY_DELAY_MS = 3_000;

/**
 * The database connection for every app. On start it creates the database if missing and
 * applies pending migrations (under a lock), so `npm start` on a fresh machine just works.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.env.DATABASE_URL),
        // openDatabase retries (saying so at each attempt); TypeOrmModule's own retry would wait in silence.
        retryAttempts: 0,
        toRetry: () => false,
        connectRetries: { retries: config.env.DATABASE_CONNECT_RETRIES, delayMs: CONNECT_RETRY_DELAY_MS },
      }),
      dataSourceFactory: async (options) => {
        const logger = new Logger('Persistence');
        const { connectRetries, ...dataSourceOptions } = options as DataSourceOptions & { url: string; connectRetries: ConnectRetries };
        const dataSource = await openDatabase(dataSourceOptions, connectRetries);
        const applied = await runMigrationsLocked(dataSource);
        if (applied.length) logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
        return dataSource;
      },
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  providers: [HousekeepingService, ProcessPresence, ...REPOSITORIES],
  exports: [TypeOrmModule, HousekeepingService, ProcessPresence, ...REPOSITORIES],
})
export class PersistenceModule {}
