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
