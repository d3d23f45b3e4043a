import { Controller, Get, HttpCode, Post, Query, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthenticatedRequest, CurrentUser, Public, SESSION_COOKIE, SessionsService } from '@deload/auth';
import { UsersService } from '@deload/users';
import { AppConfig } from '@deload/config';
import { isPlaceholderEmail } from '@deload/domain';
import type { UserEntity } from '@deload/persistence';
import {
  CallbackQuery,
  ConnectOutcome,
  StravaApiError,
  StravaConnectFlow,
  StravaDataRemoval,
  StravaUnreachableError,
} from '@deload/strava';

const NONCE_COOKIE = 'deload_strava_oauth';
const COOKIE_PATH = '/auth/strava';

const SCOPE_REASONS: Record<string, string> = {
  'activity:read_all': '“View data about your private activities” — so runs you keep private count too',
  'profile:read_all': '“View your complete Strava profile” — so Deload can see your shoes and how far they have gone',
};

/** "Connect with Strava": redirect out, come back, land signed in on /me. */
@Controller('auth/strava')
export class StravaAuthController {
  constructor(
    private readonly flow: StravaConnectFlow,
    private readonly removal: StravaDataRemoval,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /** `?next=/path` (on this site): where to land after signing in, e.g. an email confirmation link. */
  @Public()
  @Get()
  start(@Query('next') next: unknown, @Res() response: Response): void {
    const { authorizeUrl, nonce, ttlSeconds } = this.flow.start(next);
    response.cookie(NONCE_COOKIE, nonce, { ...this.cookieBase(), maxAge: ttlSeconds * 1000 });
    response.redirect(303, authorizeUrl);
  }

  @Public()
  @Get('callback')
  async callback(@Query() query: CallbackQuery, @Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const outcome = await this.flow.finish(query, request.cookies?.[NONCE_COOKIE], request.auth?.user).catch((error: unknown) => {
      if (error instanceof StravaUnreachableError || error instanceof StravaApiError) {
        throw new ServiceUnavailableException('Strava did not answer in time: please try connecting again in a minute');
      }
      throw error;
    });
    response.clearCookie(NONCE_COOKIE, this.cookieBase());
    if (outcome.kind === 'connected') return this.signInAndLand(outcome, request, response);
    if (outcome.kind === 'merge-offered')
      return response.render('account/merge', { title: 'Merge your accounts', preview: outcome.preview });
    response.status(200).render('message', outcome.kind === 'declined' ? declinedPage() : missingScopesPage(outcome.missing));
  }

  /** Revokes Deload at Strava and deletes the runner's Strava tokens and Strava-sourced data. */
  @Post('disconnect')
  @HttpCode(200)
  async disconnect(@CurrentUser() user: UserEntity) {
    return this.removal.disconnect(user.id);
  }

  private async signInAndLand(
    outcome: Extract<ConnectOutcome, { kind: 'connected' }>,
    request: Request,
    response: Response,
  ): Promise<void> {
    if (outcome.signIn) {
      const { token, expiresAt } = await this.sessions.create(outcome.userId, request.get('user-agent'));
      response.cookie(SESSION_COOKIE, token, this.sessions.cookieOptions(expiresAt));
    }
    if (outcome.next) return response.redirect(303, outcome.next);
    // Strava gives no email address: until the runner adds one, nothing can warn them.
    const user = await this.users.byId(outcome.userId);
    response.redirect(303, isPlaceholderEmail(user.email) ? '/settings/email?welcome=1' : '/me');
  }

  private cookieBase() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.config.env.PUBLIC_URL.startsWith('https://'), path: COOKIE_PATH };
  }
}

function declinedPage() {
  return {
    title: 'Strava is not connected',
    paragraphs: ['You chose not to connect Strava, so Deload stored nothing.', 'You can connect any time, or upload FIT files instead.'],
    action: { href: '/auth/strava', label: 'Connect with Strava' },
    tone: 'info',
  };
}

function missingScopesPage(missing: string[]) {
  return {
    title: 'Deload needs a little more access',
    paragraphs: [
      'On Strava’s page some boxes were unticked. Deload stored nothing and needs these to work:',
      ...missing.map((scope) => SCOPE_REASONS[scope] ?? scope),
      'Connect again and leave these boxes ticked. You can disconnect at any time.',
    ],
    action: { href: '/auth/strava', label: 'Connect with Strava again' },
    tone: 'warning',
  };
}
