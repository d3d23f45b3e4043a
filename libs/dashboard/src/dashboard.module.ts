import { Module } from '@nestjs/common';
import { TeamsModule } from '@deload/teams';
import { LoadSummaryStore } from './load-summary-store';
import { RunnerImports } from './runner-imports';
import { RunnerOverview } from './runner-overview.service';
import { RunnerRecords } from './runner-records';
import { RunnerShoes } from './runner-shoes.service';
import { RunsList } from './runs-list.service';
import { TeamDashboard } from './team-dashboard.service';

/** Read models of the runner page and the coach's team view (needs the global Auth and Persistence modules). */
@Module({
  imports: [TeamsModule],
  providers: [RunnerRecords, LoadSummaryStore, RunnerOverview, RunnerImports, RunnerShoes, RunsList, TeamDashboard],
  exports: [LoadSummaryStore, RunnerOverview, RunnerImports, RunnerShoes, RunsList, TeamDashboard],
})
export class DashboardModule {}
