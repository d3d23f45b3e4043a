import { Body, Controller, Get, HttpCode, Post, Req, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentUser, EmailChanges, MagicLinks, Public } from '@deload/auth';
import { isPlaceholderEmail } from '@deload/domain';
import { MailTransportError } from '@deload/mail';
import type { UserEntity } from '@deload/persistence';
import { ApiBodyFrom, parseInput } from '../common/validation';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';

const emailChangeSchema = z.strictObject({
  email: z.string({ error: 'must be an email address' }).describe('The address to use from now on, once confirmed'),
});

const linkRequestSchema = z.strictObject({
  email: z.string({ error: 'must be an email address' }).describe('Where to send the sign-in link'),
  next: z.string().optional().describe('Path on this site to open after signing in, e.g. /teams'),
});

@ApiTags('sign-in')
@Controller('api')
export class SignInApiController {
  constructor(
    private readonly magicLinks: MagicLinks,
    private readonly emailChanges: EmailChanges,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a sign-in link',
    description: 'Sends a single-use link valid for 15 minutes. The answer is the same whether or not the address has an account.',
  })
  @ApiBodyFrom(linkRequestSchema)
  @ApiAcceptedResponse({ description: '`{ "sent": true }`' })
  @ApiTooManyRequestsResponse({ description: 'Too many links for this address or client; `details.retryAfterS` says when to retry' })
  @ApiServiceUnavailableResponse({ description: 'The mail server did not take the email; nothing was sent, try again' })
  async requestLink(@Body() body: unknown, @Req() req: Request) {
    const { email, next } = parseInput(linkRequestSchema, body);
    try {
      await this.magicLinks.request(email, next, req.ip);
    } catch (error) {
      if (error instanceof MailTransportError)
        throw new ServiceUnavailableException('could not send the email just now: try again in a minute');
      throw error;
    }
    return { sent: true };
  }

  @Get('me')
  @SignedInApi()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({
    description:
      '`{ id, email, hasEmail, displayName, role, units, timezone }` (`email` is null until a runner who signed in with Strava adds one)',
  })
  me(@CurrentUser() user: UserEntity) {
    const { id, email, displayName, role, units, timezone } = user;
    const hasEmail = !isPlaceholderEmail(email);
    return { id, email: hasEmail ? email : null, hasEmail, displayName, role, units, timezone };
  }

  @Post('me/email')
  @HttpCode(202)
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Add or change your email address',
    description:
      'Sends a confirmation link to the new address (valid 24 hours, to be opened while signed in as you); the address changes when it is opened, and the old address is told. Nothing else is sent to an unconfirmed address.',
  })
  @ApiBodyFrom(emailChangeSchema)
  @ApiAcceptedResponse({ description: '`{ sent: true, to }`' })
  @ApiTooManyRequestsResponse({ description: 'Too many changes asked for; `details.retryAfterS` says when to retry' })
  @ApiServiceUnavailableResponse({ description: 'The mail server did not take the email; nothing was sent, try again' })
  async changeEmail(@CurrentUser() user: UserEntity, @Body() body: unknown) {
    const { email } = parseInput(emailChangeSchema, body);
    try {
      return { sent: true, to: (await this.emailChanges.request(user, email)).to };
    } catch (error) {
      if (error instanceof MailTransportError)
        throw new ServiceUnavailableException('could not send the email just now: try again in a minute');
      throw error;
    }
  }
}
