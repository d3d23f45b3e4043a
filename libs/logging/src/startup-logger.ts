import { ConsoleLogger, LogLevel } from '@nestjs/common';

const NEST_LEVELS: Record<string, LogLevel[]> = {
  silent: [],
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * The logger Nest uses until pino takes over (and if start-up fails before it does):
 * JSON lines too, so a failing start never prints a bare stack trace.
 */
export function startupLogger(level: string): ConsoleLogger {
  return new ConsoleLogger({ json: true, colors: false, logLevels: NEST_LEVELS[level] ?? NEST_LEVELS.info });
}
