import { Module } from '@nestjs/common';
import { TeamsModule } from '@deload/teams';
import { RunnerImports } from './runner-imports';
import { RunnerOverview } from './runner-overview.service';
import { RunnerRecords } from './runner-records';
import { RunnerShoes } from './runner-shoes.service';
import { TeamDashboard } from './team-dashboard.service';

/** Read models of the runner page and the coach's team view (needs the global Auth and Persistence modules). */
@Module({
  imports: [TeamsModule],
  providers: [RunnerRecords, RunnerOverview, RunnerImports, RunnerShoes, TeamDashboard],
  exports: [RunnerOverview, RunnerImports, RunnerShoes, TeamDashboard],
})
export class DashboardModule {}
