import { request as httpRequest } from 'node:http';
import type { SignedIn } from './sessions';

/** A JSON API call as a signed-in user (session cookie and CSRF header). */
export function apiCall(url: string, who: SignedIn, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { ...who.headers, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** A page's form posted as a signed-in browser would (CSRF field; a field with several values, e.g. checkboxes, repeats). */
export function formPost(url: string, who: SignedIn, path: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams({ _csrf: who.csrfToken });
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one);
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * POSTs a JSON body (a string is sent as is) to the Strava webhook callback over node:http, which
 * shows every header of the answer and lets a test pick the loopback address it sends from (a "source").
 */
export function postWebhook(
  url: string,
  body: unknown,
  { localAddress = '127.0.0.1', headers = {} }: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const target = new URL('/webhooks/strava', url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}
