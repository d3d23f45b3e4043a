import { applyDecorators } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiHeader, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CSRF_HEADER, SESSION_COOKIE } from '@deload/auth';

/** Every /api route but sign-in: a session cookie, 401 without one, 403 for someone else's data. */
export function SignedInApi(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiCookieAuth(SESSION_COOKIE),
    ApiUnauthorizedResponse({ description: 'No session: `{ statusCode: 401, message: "sign in first" }`' }),
    ApiForbiddenResponse({ description: 'Not yours to see or change (the same answer for ids that do not exist)' }),
  );
}

/** State-changing routes need the session's CSRF token (from the `csrf-token` meta tag of any page). */
export function NeedsCsrf(): MethodDecorator {
  return applyDecorators(ApiHeader({ name: CSRF_HEADER, required: true, description: 'The CSRF token of the session' }));
}
