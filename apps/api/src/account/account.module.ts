import { Module } from '@nestjs/common';
import { SignInModule } from '@deload/auth';
import { StravaModule } from '@deload/strava';
import { AccountPagesController } from './account.pages.controller';

/** The account's email address (change and confirm it) and merging a Strava-made account into it. */
@Module({ imports: [SignInModule, StravaModule], controllers: [AccountPagesController] })
export class AccountHttpModule {}
