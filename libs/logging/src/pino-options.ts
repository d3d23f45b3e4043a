import type { LoggerOptions } from 'pino';
import { REDACTED_PATHS } from './redaction';

/** The pino options every logger of an app shares: the level and the secrets to hide. */
export function pinoOptions(level: string): LoggerOptions {
  return { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
}
