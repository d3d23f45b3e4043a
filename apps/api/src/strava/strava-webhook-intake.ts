import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AppConfig } from '@deload/config';
import { StravaWebhookInbox, WEBHOOK_PATH, WebhookIntakeLimit } from '@deload/strava';
import { answerError } from '../common/error.filter';
import { BODY_LIMIT_BYTES, bodyErrors } from '../common/http-hardening';

/** Of each answer status, the first and then one in this many are logged (the rest are counted in the line). */
export const WEBHOOK_LOG_ONE_IN = 100;

const RECEIVED = JSON.stringify({ received: true });
const RECEIVED_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(Buffer.byteLength(RECEIVED)),
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** A body-parser-shaped error, so `bodyErrors` answers it as for any other route. */
const bodyError = (status: number, type: string) => Object.assign(new Error(type), { status, type });

/**
 * The request's JSON body, at most BODY_LIMIT (413 past it, without reading on when
 * Content-Length says so). A body that is not declared JSON is read as nothing, as express.json does.
 */
function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/json')) {
      request.resume();
      request.once('end', () => resolve(undefined));
      return;
    }
    if (Number(request.headers['content-length']) > BODY_LIMIT_BYTES) return reject(bodyError(413, 'entity.too.large'));
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    request.once('error', reject);
    request.once('end', () => {
      if (size > BODY_LIMIT_BYTES) return reject(bodyError(413, 'entity.too.large'));
      try {
        resolve(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch {
        reject(bodyError(400, 'entity.parse.failed'));
      }
    });
  });
}

/** Logs the first answer of each status and then one in `oneIn`, saying how many it stands for. */
class SampledLog {
  private readonly counts = new Map<number, number>();

  constructor(
    private readonly logger: Logger,
    private readonly oneIn: number,
  ) {}

  answered(status: number, startedAt: number): void {
    const count = (this.counts.get(status) ?? 0) + 1;
    this.counts.set(status, count);
    if (count % this.oneIn !== 1 && this.oneIn !== 1) return;
    const ms = (performance.now() - startedAt).toFixed(1);
    this.logger.log(`POST ${WEBHOOK_PATH} ${status} in ${ms} ms (answer ${count} with this status; 1 in ${this.oneIn} logged)`);
  }
}

/** Set on a request whose lean handling failed: Express's route for the path answers it as every other error. */
const FAILED = Symbol('webhook intake failure');
type FailedRequest = IncomingMessage & { [FAILED]?: { error: unknown; whileReading: boolean } };

/** `POST /webhooks/strava` (a query string allowed); any other spelling Express's route takes, the slower way. */
function isWebhookPost(request: IncomingMessage): boolean {
  const url = request.url ?? '';
  return (
    request.method === 'POST' && url.startsWith(WEBHOOK_PATH) && (url.length === WEBHOOK_PATH.length || url[WEBHOOK_PATH.length] === '?')
  );
}

/**
 * Strava's event POSTs, answered ahead of Express and Nest (the HTTP server's request listener
 * takes them before handing every other request to Express): a JSON body parser with the usual
 * limit, the per-address rate limit (STRAVA_WEBHOOK_RATE_LIMIT, the address as TRUST_PROXY says),
 * the inbox, and sampled logging — no Express request setup or router, cookies, sessions, CSP
 * nonces or per-request logger. Errors (rare) go on to an Express route registered before every
 * middleware, which answers them exactly as the ErrorFilter does. Every accepted POST gets the same
 * answer, whether the event was new, a retry, or dropped for naming another subscription: the
 * answer tells a guesser nothing. The GET handshake stays with StravaWebhookController.
 */
export function mountStravaWebhookIntake(app: NestExpressApplication): void {
  const inbox = app.get(StravaWebhookInbox);
  const limit = app.get(WebhookIntakeLimit);
  const config = app.get(AppConfig);
  const logger = new Logger('StravaWebhookIntake');
  const log = new SampledLog(logger, WEBHOOK_LOG_ONE_IN);
  const express: Express = app.getHttpAdapter().getInstance();
  const server: Server = app.getHttpServer();
  const [expressListener] = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];

  /** The client's address as Express's `request.ip` (TRUST_PROXY) says, without Express's per-request setup. */
  const clientAddress = (request: IncomingMessage): string => {
    if (!express.get('trust proxy')) return request.socket.remoteAddress ?? 'unknown';
    const view = Object.create(express.request as object, {
      headers: { value: request.headers },
      socket: { value: request.socket },
      connection: { value: request.socket },
    }) as { ip?: string };
    return view.ip ?? 'unknown';
  };

  /** Reads, admits and stores the event; answers 200 itself, and hands a failure to `failed`. */
  const receive = async (
    request: IncomingMessage,
    response: ServerResponse,
    address: string,
    failed: (error: unknown, whileReading: boolean) => void,
  ) => {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch (error) {
      return failed(error, true);
    }
    try {
      await limit.admit(address);
      await inbox.receive(body);
      response.writeHead(200, RECEIVED_HEADERS).end(RECEIVED);
    } catch (error) {
      failed(error, false);
    }
  };

  const answerFailure = (request: Request, response: Response, error: unknown, whileReading: boolean) => {
    const fail = (other: unknown) => answerError(other, request, response, config, logger);
    if (whileReading) bodyErrors(error, request, response, fail);
    else fail(error);
  };

  // Before every middleware: answers the failures of the lean path, and takes the POSTs it did not
  // recognise (`/webhooks/strava/`, other letter case) the same way, with Express's request.
  express.post(WEBHOOK_PATH, (request: Request, response: Response) => {
    const failure = (request as FailedRequest)[FAILED];
    if (failure) return answerFailure(request, response, failure.error, failure.whileReading);
    const startedAt = performance.now();
    response.once('finish', () => log.answered(response.statusCode, startedAt));
    void receive(request, response, request.ip ?? 'unknown', (error, whileReading) =>
      answerFailure(request, response, error, whileReading),
    );
  });

  server.removeListener('request', expressListener);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!isWebhookPost(request)) return expressListener(request, response);
    const startedAt = performance.now();
    response.once('finish', () => log.answered(response.statusCode, startedAt));
    void receive(request, response, clientAddress(request), (error, whileReading) => {
      (request as FailedRequest)[FAILED] = { error, whileReading };
      expressListener(request, response);
    });
  });
}
