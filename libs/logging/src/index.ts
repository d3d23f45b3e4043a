export { runEntryPoint } from './entry-point';
export { LoggingModule } from './logging.module';
export { REDACTED_PATHS } from './redaction';
export { startupLogger } from './startup-logger';
