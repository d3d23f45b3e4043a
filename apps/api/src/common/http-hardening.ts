import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AppConfig } from '@deload/config';
import { sendError } from './error.filter';

/** JSON and form bodies; file uploads stream through busboy with their own limit (MAX_UPLOAD_MB). */
export const BODY_LIMIT = '100kb';
export const BODY_LIMIT_BYTES = 100 * 1024;
const ASSETS_PREFIX = '/assets/';
const API_DOCS_PREFIX = '/api/docs';

/** The nonce every <script> tag of this response must carry (layout.eta reads res.locals.cspNonce). */
function nonceOf(res: ServerResponse): string {
  return `'nonce-${(res as Response).locals.cspNonce}'`;
}

function withCspNonce(_req: Request, res: Response, next: NextFunction): void {
  res.locals.cspNonce = randomBytes(16).toString('base64');
  next();
}

/**
 * Security headers: a Content Security Policy that runs only our own scripts (by nonce), takes
 * styles, images and connections only from this origin, and lets no other site frame a page;
 * nosniff, no Referer to other sites (links carry tokens), HSTS when PUBLIC_URL is https. The API docs (Swagger
 * UI, which inlines its styles and holds no one's data) get the same policy with inline styles.
 */
function securityHeaders(https: boolean) {
  const common = {
    defaultSrc: ["'self'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    frameSrc: ["'self'"],
    upgradeInsecureRequests: https ? [] : null,
  };
  const options = (directives: Record<string, Iterable<string | ((req: unknown, res: ServerResponse) => string)> | null>) =>
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { ...common, ...directives } },
      strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
      // Not no-referrer: then browsers send `Origin: null` on our own form posts, which the CSRF check must refuse.
      referrerPolicy: { policy: 'same-origin' },
      xFrameOptions: { action: 'deny' },
    });
  const pages = options({ scriptSrc: [(_req, res) => nonceOf(res)], styleSrc: ["'self'"] });
  const docs = options({ scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"] });
  return (req: Request, res: Response, next: NextFunction) => (req.path.startsWith(API_DOCS_PREFIX) ? docs : pages)(req, res, next);
}

/** Pages and API answers carry someone's data: never kept by the browser or a shared cache. Static assets may be. */
function noStoreOutsideAssets(req: Request, res: Response, next: NextFunction): void {
  if (!req.path.startsWith(ASSETS_PREFIX)) res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * Errors raised before a route is reached (body parsers: too large, malformed JSON, unknown
 * charset) answer like any other error — `{ statusCode, error, message }` or a page — and never
 * with Express's default stack-trace page.
 */
export function bodyErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const status = Number((error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode);
  const type = (error as { type?: string }).type;
  if (status === 413 || type === 'entity.too.large') {
    return sendError(req, res, {
      statusCode: 413,
      error: 'too_large',
      message: `the request body is larger than ${BODY_LIMIT.replace('kb', ' KB')}`,
    });
  }
  if (type === 'entity.parse.failed')
    return sendError(req, res, { statusCode: 400, error: 'invalid', message: 'the request body is not valid JSON' });
  if (status >= 400 && status < 500) {
    return sendError(req, res, { statusCode: status, error: 'invalid', message: 'the request body could not be read' });
  }
  next(error);
}

/**
 * What every request goes through before a route: which proxies may name the client (TRUST_PROXY,
 * for the sign-in rate limits), security headers with a per-response script nonce, no-store on
 * everything but static assets, and bounded JSON and form bodies whose errors answer cleanly.
 * Call before any route or static folder is registered (the app is created with bodyParser: false).
 */
export function applyHttpHardening(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.env.TRUST_PROXY ?? false);
  app.use(withCspNonce);
  app.use(securityHeaders(config.env.PUBLIC_URL.startsWith('https://')));
  app.use(noStoreOutsideAssets);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
  app.use(bodyErrors);
}
