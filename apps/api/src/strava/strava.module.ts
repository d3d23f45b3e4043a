import { Module } from '@nestjs/common';
import { StravaModule } from '@deload/strava';
import { StravaAuthController } from './strava-auth.controller';
import { StravaWebhookController } from './strava-webhook.controller';

/** Connecting Strava (OAuth under /auth/strava) and Strava's webhook intake (/webhooks/strava). */
@Module({ imports: [StravaModule], controllers: [StravaAuthController, StravaWebhookController] })
export class StravaHttpModule {}
