export * from './entities';
export { dataSourceOptions } from './data-source-options';
export { dropDatabase, ensureDatabase, redactUrl } from './ensure-database';
export { runMigrationsLocked } from './migrate';
export { MIGRATIONS } from './migrations';
export { PersistenceModule } from './persistence.module';
export { HousekeepingService, WEBHOOK_EVENT_RETENTION_DAYS, type HousekeepingResult } from './housekeeping.service';
export { seenOutsideStrava } from './run-visibility';
