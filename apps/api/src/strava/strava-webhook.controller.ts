import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Public } from '@deload/auth';
import { StravaWebhookInbox } from '@deload/strava';

/** Strava's push subscription callback: the challenge handshake, and events into the inbox — or the spool while the database is away (answered in milliseconds). */
@Public()
@Controller('webhooks/strava')
export class StravaWebhookController {
  constructor(private readonly inbox: StravaWebhookInbox) {}

  @Get()
  challenge(@Query() query: Record<string, unknown>) {
    return this.inbox.answerChallenge(query);
  }

  @Post()
  @HttpCode(200)
  async receive(@Body() body: unknown) {
    const { eventId, duplicate, spooled } = await this.inbox.receive(body);
    return spooled ? { received: null, duplicate, spooled } : { received: eventId, duplicate };
  }
}
