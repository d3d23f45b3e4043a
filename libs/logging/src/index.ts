export { runEntryPoint } from './entry-point';
export { chooseLogFormat, conciseLine, type LogFormat } from './log-format';
export { LoggingModule } from './logging.module';
export { QuietNestChatter } from './nest-chatter';
export { REDACTED_PATHS } from './redaction';
export { RepeatFilter } from './repeat-filter';
export { startupLogger } from './startup-logger';
