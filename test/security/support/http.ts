import type { NestExpressApplication } from '@nestjs/platform-express';
import { CSRF_FIELD, CSRF_HEADER } from '../../../libs/auth/src';
import type { SignedIn } from '../../support/sessions';

/** One request of the security suite: a page (HTML, forms) or an API call (JSON). */
export interface SecurityRequest {
  method: string;
  path: string;
  /** A browser asking for a page or posting a form (Accept: text/html); otherwise an API client (JSON). */
  page?: boolean;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: FormData;
  headers?: Record<string, string>;
}

export interface SecurityResponse {
  status: number;
  location: string | null;
  headers: Headers;
  body: string;
}

/** Sends `request` as `who` (cookie, and the CSRF token in the form or header as our pages and API clients do). */
export async function send(baseUrl: string, who: SignedIn | undefined, request: SecurityRequest): Promise<SecurityResponse> {
  const headers: Record<string, string> = { accept: request.page ? 'text/html' : 'application/json', ...(request.headers ?? {}) };
  if (who) headers.cookie = [who.cookie, request.headers?.cookie].filter(Boolean).join('; ');
  let body: URLSearchParams | FormData | string | undefined;
  if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ ...(who ? { [CSRF_FIELD]: who.csrfToken } : {}), ...request.form });
  } else if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.multipart) {
    body = request.multipart;
  }
  if (who && request.form === undefined && !['GET', 'HEAD'].includes(request.method)) headers[CSRF_HEADER] = who.csrfToken;
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, body, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), headers: response.headers, body: await response.text() };
}

/**
 * Every route the api serves, as "METHOD /path" (Express's own router, after Nest registered the
 * controllers): what the authorisation matrix must cover. Nest's catch-all 404 is left out.
 */
export function servedRoutes(app: NestExpressApplication): string[] {
  const router = (
    app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }
  ).router;
  const routes = router.stack.flatMap((layer) =>
    layer.route && layer.route.path !== '/{*path}'
      ? Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
  return [...new Set(routes)].sort();
}
