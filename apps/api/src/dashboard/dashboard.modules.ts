import { Module } from '@nestjs/common';
import { SignInModule } from '@deload/auth';
import { DashboardModule } from '@deload/dashboard';
import { NotifyModule } from '@deload/notify';
import { SettingsModule } from '@deload/settings';
import { StravaModule } from '@deload/strava';
import { TeamsModule } from '@deload/teams';
import { AccountPagesController } from './account/account.pages.controller';
import { RunnersApiController } from './runners/runners.api.controller';
import { RunnersPagesController } from './runners/runners.pages.controller';
import { SettingsApiController } from './settings/settings.api.controller';
import { SettingsPagesController } from './settings/settings.pages.controller';
import { SignInApiController } from './sign-in/sign-in.api.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { TeamsApiController } from './teams/teams.api.controller';
import { TeamsPagesController } from './teams/teams.pages.controller';

const CAPABILITIES = [SignInModule, TeamsModule, DashboardModule, SettingsModule];

/** The JSON API under /api (documented at /api/docs). */
@Module({
  imports: CAPABILITIES,
  controllers: [SignInApiController, TeamsApiController, RunnersApiController, SettingsApiController],
})
export class DashboardApiModule {}

/** The server-rendered pages: sign-in, teams, runner pages, settings (with the Strava connection and the email address). */
@Module({
  imports: [...CAPABILITIES, StravaModule, NotifyModule],
  controllers: [SignInController, TeamsPagesController, RunnersPagesController, SettingsPagesController, AccountPagesController],
})
export class DashboardPagesModule {}

@Module({ imports: [DashboardApiModule, DashboardPagesModule] })
export class DashboardWebModule {}
