import { Module } from '@nestjs/common';
import { DashboardModule } from '@deload/dashboard';
import { TeamsModule } from '@deload/teams';
import { TeamsApiController } from './teams.api.controller';
import { TeamsPagesController } from './teams.pages.controller';

/** Teams, the coach's team view and invites: /api/teams, /api/invites and their pages (/teams, /join). */
@Module({ imports: [TeamsModule, DashboardModule], controllers: [TeamsApiController, TeamsPagesController] })
export class TeamsHttpModule {}
