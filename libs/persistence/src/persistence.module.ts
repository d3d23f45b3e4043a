import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@deload/config';
import { dataSourceOptions } from './data-source-options';
import { ENTITIES } from './entities';
import { ensureDatabase, redactUrl } from './ensure-database';
import { HousekeepingService } from './housekeeping.service';
import { ProcessPresence } from './process-presence';
import { runMigrationsLocked } from './migrate';
import { REPOSITORIES } from './repositories';

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
        // PostgreSQL may still be starting (docker compose): retry for ~30 s before giving up.
        retryAttempts: config.env.DATABASE_CONNECT_RETRIES,
        retryDelay: 3_000,
      }),
      dataSourceFactory: async (options) => {
        const logger = new Logger('Persistence');
        const url = (options as { url: string }).url;
        if ((await ensureDatabase(url)) === 'created') logger.log(`created database ${redactUrl(url)}`);
        const dataSource = await new DataSource(options!).initialize();
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
