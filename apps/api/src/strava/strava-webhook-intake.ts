import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
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
function readJson(request: Request): Promise<unknown> {
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

  answered(request: Request, status: number, startedAt: number): void {
    const count = (this.counts.get(status) ?? 0) + 1;
    this.counts.set(status, count);
    if (count % this.oneIn !== 1 && this.oneIn !== 1) return;
    const ms = (performance.now() - startedAt).toFixed(1);
    this.logger.log(
      `${request.method} ${request.path} ${status} in ${ms} ms (answer ${count} with this status; 1 in ${this.oneIn} logged)`,
    );
  }
}

/**
 * Strava's event POSTs, answered ahead of Nest's middleware and router (registered on the Express
 * instance before them): a JSON body parser with the usual limit, the per-address rate limit
 * (STRAVA_WEBHOOK_RATE_LIMIT, the address as TRUST_PROXY says), the inbox, and sampled logging — no
 * cookies, sessions, CSP nonces or per-request logger. Thousands of events a second on one core;
 * errors answer exactly as the ErrorFilter does. Every accepted POST gets the same answer, whether the
 * event was new, a retry, or dropped for naming another subscription: the answer tells a guesser
 * nothing. The GET handshake stays with StravaWebhookController.
 */
export function mountStravaWebhookIntake(app: NestExpressApplication): void {
  const inbox = app.get(StravaWebhookInbox);
  const limit = app.get(WebhookIntakeLimit);
  const config = app.get(AppConfig);
  const logger = new Logger('StravaWebhookIntake');
  const log = new SampledLog(logger, WEBHOOK_LOG_ONE_IN);

  const fail = (error: unknown, request: Request, response: Response) => answerError(error, request, response, config, logger);

  const receive = async (request: Request, response: Response) => {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch (error) {
      return bodyErrors(error, request, response, (other?: unknown) => fail(other, request, response));
    }
    try {
      await limit.admit(request.ip ?? 'unknown');
      await inbox.receive(body);
      response.writeHead(200, RECEIVED_HEADERS).end(RECEIVED);
    } catch (error) {
      fail(error, request, response);
    }
  };

  const express: Express = app.getHttpAdapter().getInstance();
  express.post(WEBHOOK_PATH, (request: Request, response: Response) => {
    const startedAt = performance.now();
    response.once('finish', () => log.answered(request, response.statusCode, startedAt));
    void receive(request, response);
  });
}
