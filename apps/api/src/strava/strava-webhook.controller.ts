import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '@deload/auth';
import type { DomainError } from '@deload/domain';
import { StravaWebhookInbox, WebhookIntakeLimit } from '@deload/strava';

/** Strava's push subscription callback: the challenge handshake, and events into the inbox — or the spool while the database is away (answered in milliseconds). */
@Public()
@Controller('webhooks/strava')
export class StravaWebhookController {
  constructor(
    private readonly inbox: StravaWebhookInbox,
    private readonly limit: WebhookIntakeLimit,
  ) {}

  @Get()
  challenge(@Query() query: Record<string, unknown>) {
    return this.inbox.answerChallenge(query);
  }

  /**
   * Every accepted POST gets the same answer, whether the event was new, a retry, or dropped for
   * naming another subscription: the answer tells a guesser nothing. 429 past the per-address limit.
   */
  @Post()
  @HttpCode(200)
  async receive(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    await this.limit.admit(request.ip ?? 'unknown').catch((error: DomainError) => {
      if (error.details?.retryAfterS) response.setHeader('Retry-After', String(error.details.retryAfterS));
      throw error;
    });
    await this.inbox.receive(body);
    return { received: true };
  }
}
