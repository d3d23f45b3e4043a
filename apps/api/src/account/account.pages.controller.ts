import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, CurrentUser, EmailChanges, SESSION_COOKIE, SessionsService } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { DomainError, isPlaceholderEmail } from '@deload/domain';
import { MailTransportError } from '@deload/mail';
import type { UserEntity } from '@deload/persistence';
import { MergePreview, StravaAccountMerge } from '@deload/strava';

/**
 * The runner's email address: add one (accounts made by "Sign in with Strava" have none) or change
 * it, confirmed by a link to the new address; and merging an email-less Strava account into the
 * account that has the address.
 */
@Controller()
export class AccountPagesController {
  constructor(
    private readonly emailChanges: EmailChanges,
    private readonly merges: StravaAccountMerge,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Get('settings/email')
  emailPage(@CurrentUser() user: UserEntity, @Query('welcome') welcome: unknown, @Res() res: Response) {
    res.render('account/email', this.emailView(user, { welcome: welcome === '1' }));
  }

  @Post('settings/email')
  @HttpCode(200)
  async requestChange(@CurrentUser() user: UserEntity, @Body() body: Record<string, unknown>, @Res() res: Response) {
    try {
      const sent = await this.emailChanges.request(user, body.email);
      res.render('account/email-sent', {
        title: 'Check your email',
        nav: 'settings',
        to: sent.to,
        outboxPath: sent.transport === 'outbox' && !this.config.isProduction ? sent.outboxPath : undefined,
      });
    } catch (error) {
      const status = errorStatus(error);
      if (!status) throw error;
      if (status === 429) res.setHeader('Retry-After', String((error as DomainError).details?.retryAfterS ?? 60));
      res.status(status).render('account/email', this.emailView(user, { email: String(body.email ?? ''), error: messageOf(error) }));
    }
  }

  /** The link from the confirmation email: a page saying what the button will do (mail scanners follow links). */
  @Get('email/confirm')
  async confirmPage(@CurrentUser() user: UserEntity, @Query('t') token: unknown, @Res() res: Response) {
    const { claim, takenBy } = await this.emailChanges.check(String(token ?? ''), user);
    const merge = takenBy ? await this.mergeInto(user, takenBy) : undefined;
    res.render('account/email-confirm', { title: 'Confirm your email address', nav: 'settings', to: claim.to, token, merge });
  }

  @Post('email/confirm')
  async confirm(
    @CurrentUser() user: UserEntity,
    @Body() body: Record<string, unknown>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ) {
    const token = String(body.t ?? '');
    const { takenBy } = await this.emailChanges.check(token, user);
    try {
      if (!takenBy) {
        await this.emailChanges.apply(token, user, req.auth?.session.id);
        return res.redirect(303, '/settings?saved=email#email');
      }
      // The link proved the address; this session proves the Strava account: merge into the address's account.
      const preview = await this.mergeInto(user, takenBy);
      await this.emailChanges.consume(token);
      await this.finishMerge(preview.token, user, req, res);
    } catch (error) {
      if (!(error instanceof MailTransportError)) throw error;
      res.status(503).render('message', {
        title: 'Not changed yet',
        paragraphs: ['We could not send the notice to your old address just now, so nothing changed. Try the link again in a minute.'],
        tone: 'warning',
      });
    }
  }

  /** The button of the merge page shown after connecting Strava (StravaAuthController renders it). */
  @Post('account/merge')
  async merge(
    @CurrentUser() user: UserEntity,
    @Body() body: Record<string, unknown>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ) {
    await this.finishMerge(String(body.t ?? ''), user, req, res);
  }

  private async finishMerge(token: string, user: UserEntity, req: AuthenticatedRequest, res: Response) {
    const { target } = await this.merges.merge(token, user);
    if (target.id !== user.id) {
      // The email-less account is gone (its sessions with it): carry on as the account that stays.
      const session = await this.sessions.create(target.id, req.get('user-agent'));
      res.cookie(SESSION_COOKIE, session.token, this.sessions.cookieOptions(session.expiresAt));
    }
    res.redirect(303, '/settings?saved=merged#email');
  }

  /** Only an email-less account connected to Strava merges into the account with the address. */
  private async mergeInto(user: UserEntity, takenBy: UserEntity): Promise<MergePreview> {
    if (!isPlaceholderEmail(user.email)) throw new DomainError('conflict', `${takenBy.email} belongs to another Deload account`);
    try {
      return await this.merges.offer(user.id, takenBy.id);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(
        'conflict',
        `${takenBy.email} already has a Deload account, and this one cannot be merged into it: ${error.message}`,
      );
    }
  }

  private emailView(user: UserEntity, extra: { welcome?: boolean; email?: string; error?: string }) {
    const hasAddress = !isPlaceholderEmail(user.email);
    return {
      title: hasAddress ? 'Your email address' : 'Add your email address',
      nav: 'settings',
      current: hasAddress ? user.email : null,
      ...extra,
    };
  }
}

function errorStatus(error: unknown): number {
  if (error instanceof MailTransportError) return 503;
  if (!(error instanceof DomainError)) return 0;
  return error.kind === 'rate_limited' ? 429 : error.kind === 'invalid' ? 400 : 0;
}

function messageOf(error: unknown): string {
  return error instanceof MailTransportError
    ? 'We could not send the email just now. Please try again in a minute.'
    : (error as Error).message;
}
