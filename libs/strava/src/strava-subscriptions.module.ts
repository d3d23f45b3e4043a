import { Module } from '@nestjs/common';
import { StravaOAuthClient } from './oauth/strava-oauth.client';
import { StravaPushSubscriptions } from './webhooks/push-subscriptions.service';

/** The app-level part of Strava (credentials, push subscription): needs only config and the database, for the CLI. */
@Module({
  providers: [StravaOAuthClient, StravaPushSubscriptions],
  exports: [StravaOAuthClient, StravaPushSubscriptions],
})
export class StravaSubscriptionsModule {}
