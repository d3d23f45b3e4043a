export {
  attentionReasons,
  urgency,
  RECENT_PAIN_DAYS,
  type AttentionInput,
  type AttentionKind,
  type AttentionReason,
  type OpenAlertBadge,
} from './attention';
export { DashboardModule } from './dashboard.module';
export { RUNS_PER_PAGE, RunsList, type RunAlert, type RunnerOfList, type RunPageData, type RunsListData } from './runs-list.service';
export {
  LoadSummariesModule,
  LoadSummaryStore,
  PAIN_LOOKBACK_DAYS,
  SUMMARY_LOOKBACK_DAYS,
  WARM_BATCH_SIZE,
  type RunnerFigures,
  type SummaryScope,
} from './load-summary-store';
export { loadSummary, type BiggestRecentRun, type LoadSummary, type SummaryRun } from './load-summary';
export { latestPain, type LatestPain, type PainPoint, type PainTrend } from './pain-trend';
export {
  ACWR_BAND,
  displayName,
  RUNNER_PAGE_WEEKS,
  RunnerOverview,
  type AlertHistoryEntry,
  type RunnerOverviewData,
  type WeekWithAlerts,
} from './runner-overview.service';
export { IMPORTS_PAGE_SIZE, RunnerImports, type ImportEntry, type ImportsPage } from './runner-imports';
export { RunnerShoes, type RunnerShoesData, type ShoeListing } from './runner-shoes.service';
export { thresholdsOf } from './runner-thresholds';
export { shoeRotation, type ShoeRotation, type ShoeShare, type ShoeUseCount } from './shoe-rotation';
export { thisWeek, type ThisWeek, type WeighedAlert } from './this-week';
export { mostWornShoe, shoeStatus, type ShoeDistance, type ShoeState, type ShoeStatus } from './shoe-status';
export {
  defaultOrder,
  sortRows,
  TEAM_PAGE_SIZE,
  TEAM_SORTS,
  TeamDashboard,
  type SortOrder,
  type TeamDashboardData,
  type TeamQuery,
  type TeamRow,
  type TeamSort,
} from './team-dashboard.service';
