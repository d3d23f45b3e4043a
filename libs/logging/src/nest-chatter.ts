import { LoggerService } from '@nestjs/common';

/** Nest's own start-up narration (each module loaded, each route mapped): useful when debugging, noise otherwise. */
const CHATTY_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Nest's own report of a failed start (with its stack): the entry point says the same in one line
 * (runEntryPoint), so Nest's copy is kept for LOG_LEVEL=debug.
 */
const START_FAILURE_CONTEXTS = new Set(['ExceptionHandler', 'NestApplication']);

function contextOf(rest: unknown[]): string | undefined {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : undefined;
}

/**
 * Wraps the logger Nest writes through so that its start-up narration and its copy of a start-up
 * failure are logged at debug level (shown with LOG_LEVEL=debug); every other message keeps its level.
 */
export class QuietNestChatter implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (CHATTY_CONTEXTS.has(contextOf(rest) ?? '')) this.debug(message, ...rest);
    else this.inner.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    if (START_FAILURE_CONTEXTS.has(contextOf(rest) ?? '')) this.debug(message, ...rest);
    else this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...rest);
  }
}
