import { Module } from '@nestjs/common';
import { StravaModule } from '@deload/strava';
import { StravaAuthController } from './strava-auth.controller';
import { StravaWebhookController } from './strava-webhook.controller';

@Module({
  imports: [StravaModule],
  controllers: [StravaAuthController, StravaWebhookController],
})
export class StravaHttpModule {}
