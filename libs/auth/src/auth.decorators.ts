import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { UserEntity } from '@deload/persistence';
import type { ActiveSession } from './sessions.service';

export const PUBLIC_ROUTE = 'deload:public-route';

/** The route needs no signed-in user (health, webhooks, sign-in, links from emails carrying their own token). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export type AuthenticatedRequest = Request & { auth?: ActiveSession };

/** The signed-in user (routes that are not @Public always have one). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): UserEntity | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().auth?.user;
});
