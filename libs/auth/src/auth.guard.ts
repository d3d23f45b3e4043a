import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@deload/config';
import { AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { SESSION_COOKIE, SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Whether a write comes from a page of another site. Browsers say where a request comes from in
 * `Sec-Fetch-Site` (trusted when present) or else `Origin`; only our own origin may write (a sibling subdomain is another site
 * too). Requests without those headers (servers: Strava's webhooks, a mail provider's one-click
 * unsubscribe, scripts) are left to the other checks. Our origin is PUBLIC_URL's, or the host the
 * request was sent to (a developer opening 127.0.0.1 while PUBLIC_URL says localhost).
 */
export function isForeignWrite(request: Request, publicOrigin: string): boolean {
  const site = request.get('sec-fetch-site');
  // Browsers that send Sec-Fetch-Site say it best (their Origin may be "null" under a strict referrer policy).
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.get('origin');
  if (origin === undefined) return false;
  if (origin === publicOrigin) return false;
  try {
    return new URL(origin).host !== request.get('host');
  } catch {
    return true; // "null" (sandboxed frames, privacy redirects) or garbage
  }
}

/**
 * Global guard: refuses writes from other sites (Origin / Sec-Fetch-Site), resolves the session
 * cookie, requires a signed-in user on every route not marked @Public, and requires the session's
 * CSRF token (header or form field) on every state-changing request that carries a session cookie.
 * Pages get `csrfToken` and `currentUser` in res.locals.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly publicOrigin: string;

  constructor(
    private readonly sessions: SessionsService,
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.publicOrigin = new URL(config.env.PUBLIC_URL).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!SAFE_METHODS.has(request.method) && isForeignWrite(request, this.publicOrigin)) {
      throw new ForbiddenException('this request came from another site: open Deload itself and try again');
    }
    const auth = await this.sessions.resolve(request.cookies?.[SESSION_COOKIE]);
    if (auth) {
      request.auth = auth;
      response.locals.csrfToken = auth.csrfToken;
      response.locals.currentUser = auth.user;
      if (!SAFE_METHODS.has(request.method)) {
        const given = request.get(CSRF_HEADER) ?? (request.body as Record<string, string> | undefined)?.[CSRF_FIELD];
        if (!sameToken(given, auth.csrfToken)) throw new ForbiddenException('missing or wrong CSRF token: reload the page and try again');
      }
    }
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic || auth) return true;
    // /api/ answers in JSON whatever the Accept header says (Swagger's "Try it out" sends */*).
    if (request.method === 'GET' && !request.path.startsWith('/api/') && request.accepts(['html', 'json']) === 'html') {
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
      return false;
    }
    throw new UnauthorizedException('sign in first');
  }
}
