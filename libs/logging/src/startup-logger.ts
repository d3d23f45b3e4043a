import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { chooseLogFormat, logDestination } from './log-format';
import { QuietNestChatter } from './nest-chatter';
import { pinoOptions } from './pino-options';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Nest's logger interface over a plain pino logger: the context (Nest's last argument) becomes the `context` field. */
class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    const fields: Record<string, unknown> = { context, ...(stack ? { err: { stack } } : {}) };
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

/**
 * The logger Nest uses while the app is being built, before nestjs-pino takes over (and if
 * start-up fails before it does): the same format, level and redaction as every later line, and
 * written at once — so a database that keeps refusing connections is reported on each attempt.
 */
export function startupLogger(env: { LOG_LEVEL: string; LOG_FORMAT?: string }): LoggerService {
  return new QuietNestChatter(new PinoNestLogger(pino(pinoOptions(env.LOG_LEVEL), logDestination(chooseLogFormat(env.LOG_FORMAT)))));
}
