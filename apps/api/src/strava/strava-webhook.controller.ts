import { Controller, Get, Query } from '@nestjs/common';
import { Public } from '@deload/auth';
import { StravaWebhookInbox } from '@deload/strava';

/**
 * Strava's push subscription callback, the challenge handshake. Its event POSTs never reach Nest:
 * they take the lean path of strava-webhook-intake.ts, mounted ahead of the middleware.
 */
@Public()
@Controller('webhooks/strava')
export class StravaWebhookController {
  constructor(private readonly inbox: StravaWebhookInbox) {}

  @Get()
  challenge(@Query() query: Record<string, unknown>) {
    return this.inbox.answerChallenge(query);
  }
}
