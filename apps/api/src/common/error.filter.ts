import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig, Env, hostAndPort } from '@deload/config';
import { DomainError, DomainErrorKind } from '@deload/domain';
import { isDatabaseUnavailable } from '@deload/persistence';
import { isQueueUnavailable } from '@deload/queue';

/** Seconds a client is asked to wait when a dependency is down (Retry-After). */
const RETRY_AFTER_S = 30;

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
};

export interface ErrorBody {
  statusCode: number;
  message: string;
  error?: string;
  /** With 503: which dependency is away, e.g. "Deload cannot reach Redis at 127.0.0.1:6379". */
  reason?: string;
  details?: Record<string, unknown>;
}

/** "Deload cannot reach Redis at 127.0.0.1:6379" when an error says PostgreSQL or Redis is away; the address only `withAddress`. */
function unreachableDependency(error: unknown, env: Env, withAddress: boolean): string | undefined {
  const [name, address] = isDatabaseUnavailable(error)
    ? ['PostgreSQL', hostAndPort(env.DATABASE_URL, 5432)]
    : isQueueUnavailable(error)
      ? ['Redis', hostAndPort(env.REDIS_URL, 6379)]
      : [];
  if (!name) return undefined;
  return withAddress ? `Deload cannot reach ${name} at ${address}` : `Deload cannot reach ${name}`;
}

/**
 * PostgreSQL or Redis is away: not a bug, and not the caller's fault — come back shortly (503).
 * The answer names the server's address outside production; in production only the log does.
 */
function unavailableBody(error: unknown, config: AppConfig): ErrorBody | undefined {
  const reason = unreachableDependency(error, config.env, !config.isProduction);
  if (!reason) return undefined;
  return {
    statusCode: HttpStatus.SERVICE_UNAVAILABLE,
    error: 'unavailable',
    reason,
    message: `${reason} right now. Nothing was lost on your side: please try again in a minute.`,
  };
}

function toErrorBody(error: unknown): ErrorBody | undefined {
  if (error instanceof HttpException) {
    const body = error.getResponse();
    if (typeof body === 'string') return { statusCode: error.getStatus(), message: body };
    const { message, ...rest } = body as { message?: unknown };
    return {
      ...rest,
      statusCode: error.getStatus(),
      message: Array.isArray(message) ? message.join('; ') : String(message ?? error.message),
    };
  }
  if (error instanceof DomainError) {
    return {
      statusCode: STATUS_BY_KIND[error.kind],
      error: error.kind,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  return undefined;
}

/** A browser asking for a page (or posting a form) gets a page; API clients and everything else get JSON. */
function wantsPage(request: Request): boolean {
  const pageRequest = request.method === 'GET' || (request.method === 'POST' && !!request.is('application/x-www-form-urlencoded'));
  return pageRequest && !request.path.startsWith('/api/') && request.accepts(['json', 'html']) === 'html';
}

/**
 * Answers an error as a page (browsers) or `{ statusCode, error, message }` JSON; a rate limit also
 * says in `Retry-After` when to come back.
 */
export function sendError(request: Request, response: Response, body: ErrorBody): void {
  const retryAfterS = Number(body.details?.retryAfterS);
  if (body.statusCode === HttpStatus.TOO_MANY_REQUESTS && retryAfterS > 0)
    response.setHeader('Retry-After', String(Math.ceil(retryAfterS)));
  response.status(body.statusCode);
  if (wantsPage(request)) {
    response.render('message', {
      title:
        body.statusCode === HttpStatus.SERVICE_UNAVAILABLE ? 'Back in a moment' : body.statusCode >= 500 ? 'Something went wrong' : 'Sorry',
      paragraphs: [body.message],
      tone: 'warning',
      action: { href: '/', label: 'Back to Deload' },
    });
    return;
  }
  response.json(body);
}

/**
 * The HTTP edge: HttpExceptions keep their status, DomainErrors become a 4xx with a reason, a
 * database or queue that cannot be reached a 503 with Retry-After (logged as one line), anything
 * else is a bug — logged with its stack and answered with a generic 500.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly config: AppConfig) {}

  catch(error: unknown, host: ArgumentsHost): void {
    answerError(error, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>(), this.config, this.logger);
  }
}

/** What the ErrorFilter does with an error, for handlers mounted outside Nest (the lean webhook intake). */
export function answerError(error: unknown, request: Request, response: Response, config: AppConfig, logger: Logger): void {
  if (response.headersSent) return;
  let body = toErrorBody(error);
  const unavailable = body ? undefined : unavailableBody(error, config);
  if (unavailable) {
    const reason = unreachableDependency(error, config.env, true);
    logger.warn(`${request.method} ${request.path}: 503, ${reason} (${(error as Error).message})`);
    response.setHeader('Retry-After', String(RETRY_AFTER_S));
    body = unavailable;
  }
  if (!body) {
    logger.error(error instanceof Error ? error.stack : String(error));
    body = { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
  sendError(request, response, body);
}
