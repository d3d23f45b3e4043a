export { runEntryPoint } from './entry-point';
export { LoggingModule } from './logging.module';
export { REDACTED_PATHS } from './redaction';
export { RepeatFilter } from './repeat-filter';
export { startupLogger } from './startup-logger';
