import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE, SessionsService } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import type { UserEntity } from '../../libs/persistence/src';
import type { Role } from '../../libs/domain/src';

export interface SignedIn {
  user: UserEntity;
  cookie: string;
  csrfToken: string;
  /** Headers for a fetch as this user: cookie + CSRF token. */
  headers: Record<string, string>;
}

/** A unique address per call, so tests sharing one database never collide. */
export function uniqueEmail(label = 'runner'): string {
  return `${label}-${randomBytes(5).toString('hex')}@example.test`;
}

/** Creates (or finds) a user and a session for them, as a sign-in would. */
export async function signIn(app: INestApplicationContext, options: { email?: string; role?: Role } = {}): Promise<SignedIn> {
  const users = app.get(UsersService);
  const sessions = app.get(SessionsService);
  const user = await users.findOrCreate(options.email ?? uniqueEmail(options.role ?? 'runner'), { role: options.role ?? 'runner' });
  const { token } = await sessions.create(user.id, 'jest');
  const auth = await sessions.resolve(token);
  const cookie = `${SESSION_COOKIE}=${token}`;
  return { user, cookie, csrfToken: auth!.csrfToken, headers: { cookie, [CSRF_HEADER]: auth!.csrfToken } };
}

/** A page's form as this user's browser posts it (with the CSRF field), not following the redirect. */
export function postForm(baseUrl: string, who: SignedIn, path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: who.csrfToken, ...fields }),
    redirect: 'manual',
  });
}
