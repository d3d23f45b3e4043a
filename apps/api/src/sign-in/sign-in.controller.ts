import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CurrentUser, localPath, MagicLinks, Public, SESSION_COOKIE, SessionsService } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { DomainError } from '@deload/domain';
import { MailTransportError } from '@deload/mail';
import { UserEntity } from '@deload/persistence';
import { TeamsService } from '@deload/teams';

/** Ties the confirmation form to the browser that opened the link (a cross-site POST lacks this cookie). */
const LOGIN_NONCE_COOKIE = 'deload_login';

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length || !a.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The sign-in pages: ask for a magic link, confirm it, sign out. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    private readonly magicLinks: MagicLinks,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
    private readonly teams: TeamsService,
  ) {}

  @Public()
  @Get()
  async home(@CurrentUser() user: UserEntity | undefined, @Res() res: Response) {
    res.redirect(303, user ? await this.homeFor(user) : '/login');
  }

  @Public()
  @Get('login')
  loginPage(@CurrentUser() user: UserEntity | undefined, @Query('next') next: unknown, @Res() res: Response) {
    if (user) return res.redirect(303, localPath(next));
    res.render('login', this.loginView({ next: localPath(next) }));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async requestLink(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const email = typeof body.email === 'string' ? body.email : '';
    try {
      const sent = await this.magicLinks.request(email, body.next, req.ip);
      res.render('login-sent', {
        title: 'Check your email',
        email: sent.email,
        outboxPath: sent.transport === 'outbox' && !this.config.isProduction ? sent.outboxPath : undefined,
        outboxInProduction: sent.transport === 'outbox' && this.config.isProduction,
      });
    } catch (error) {
      const status =
        error instanceof DomainError ? (error.kind === 'rate_limited' ? 429 : 400) : error instanceof MailTransportError ? 503 : 0;
      if (!status) throw error;
      const retryAfterS = Number((error as DomainError).details?.retryAfterS);
      if (status === 429 && retryAfterS > 0) res.setHeader('Retry-After', String(retryAfterS));
      const message = status === 503 ? 'We could not send the email just now. Please try again in a minute.' : (error as Error).message;
      res.status(status).render('login', this.loginView({ next: localPath(body.next), email, error: message }));
    }
  }

  /** The link from the email opens a confirmation page; only its button uses the link (mail scanners follow links). */
  @Public()
  @Get('login/verify')
  verifyPage(@Query('token') token: unknown, @Res() res: Response) {
    const { email } = this.magicLinks.peek(String(token ?? ''));
    const nonce = randomBytes(16).toString('base64url');
    res.cookie(LOGIN_NONCE_COOKIE, nonce, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      path: '/login',
      maxAge: 30 * 60_000,
    });
    res.render('login-verify', { title: 'Sign in', email, token, nonce });
  }

  @Public()
  @Post('login/verify')
  async verify(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    if (!sameValue(body.nonce, req.cookies?.[LOGIN_NONCE_COOKIE])) {
      throw new DomainError('invalid', 'open the sign-in link from your email in this browser, then press the button');
    }
    const signedIn = await this.magicLinks.signIn(String(body.token ?? ''), req.get('user-agent'));
    res.clearCookie(LOGIN_NONCE_COOKIE, { path: '/login' });
    res.cookie(SESSION_COOKIE, signedIn.sessionToken, this.sessions.cookieOptions(signedIn.expiresAt));
    res.redirect(303, signedIn.next === '/' ? await this.homeFor(signedIn.user) : signedIn.next);
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    await this.sessions.destroy(req.cookies?.[SESSION_COOKIE]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  }

  /** Coaches land on their team; everyone else on their own training. */
  private async homeFor(user: UserEntity): Promise<string> {
    if (user.role === 'runner') return '/me';
    const [first] = await this.teams.coachedTeams(user.id);
    return first ? `/teams/${first.team.id}` : '/teams';
  }

  private get secureCookies(): boolean {
    return this.config.env.PUBLIC_URL.startsWith('https://');
  }

  private loginView(extra: { next: string; email?: string; error?: string }) {
    const strava = !!(this.config.env.STRAVA_CLIENT_ID && this.config.env.STRAVA_CLIENT_SECRET);
    return { title: 'Sign in', stravaEnabled: strava, ...extra };
  }
}
