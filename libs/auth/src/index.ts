export { CurrentUser, Public, PUBLIC_ROUTE, type AuthenticatedRequest } from './auth.decorators';
export { AuthGuard, CSRF_FIELD, CSRF_HEADER, isForeignWrite } from './auth.guard';
export { AuthApiModule, AuthModule } from './auth.module';
export { RunnerAccess, type RunnerView, type Viewer } from './runner-access.service';
export { alertForViewer, painReportForViewer, type AlertFacts, type PainReportFacts } from './runner-data-policy';
export { SESSION_COOKIE, SessionsService, type ActiveSession } from './sessions.service';
export { SingleUseTokens } from './single-use-tokens.service';
export { localPath } from './sign-in/local-path';
export {
  LINKS_PER_ADDRESS,
  LINKS_PER_CLIENT,
  MAGIC_LINK_TTL_S,
  MagicLinks,
  type MagicLinkSent,
  type SignedInBySession,
} from './sign-in/magic-links.service';
export { RateLimiter, type RateLimit } from './sign-in/rate-limiter';
export { SignInModule } from './sign-in/sign-in.module';
export {
  CHANGES_PER_ADDRESS,
  CHANGES_PER_USER,
  EMAIL_CHANGE_TTL_S,
  EmailChanges,
  type EmailChangeCheck,
  type EmailChangeClaim,
  type EmailChangeRequested,
} from './email-address/email-changes.service';
