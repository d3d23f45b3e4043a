import { Injectable } from '@nestjs/common';
import { RunnerAccess } from '@deload/auth';
import type { TeamEntity } from '@deload/persistence';
import { TeamsService } from '@deload/teams';
import { UsersService } from '@deload/users';
import { AttentionReason, attentionReasons, OpenAlertBadge, urgency } from './attention';
import { LoadSummary } from './load-summary';
import { LoadSummaryStore } from './load-summary-store';
import type { LatestPain } from './pain-trend';
import { RecordScope, RunnerRecords } from './runner-records';
import { displayName } from './runner-overview.service';
import { thresholdsOf } from './runner-thresholds';
import { mostWornShoe, ShoeStatus } from './shoe-status';

/** Rows per page of the team view (`?page=N`); sorting and the attention filter cover the whole team. */
export const TEAM_PAGE_SIZE = 100;

export const TEAM_SORTS = ['attention', 'name', 'last7', 'change', 'longest', 'acwr', 'pain', 'shoes'] as const;
export type TeamSort = (typeof TEAM_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface TeamQuery {
  sort?: TeamSort;
  order?: SortOrder;
  /** Only runners with a reason to look at them today. */
  attentionOnly?: boolean;
  /** 1-based page of TEAM_PAGE_SIZE rows (a page past the last shows the last). */
  page?: number;
}

export interface TeamRow {
  runner: { id: string; name: string; email: string };
  /** False when Strava-sourced runs are hidden from the coach (the figures then cover uploaded files only). */
  includesStravaData: boolean;
  summary: LoadSummary;
  latestPain: LatestPain | null;
  shoe: ShoeStatus | null;
  openAlerts: OpenAlertBadge[];
  attention: AttentionReason[];
  urgency: number;
}

export interface TeamDashboardData {
  team: TeamEntity;
  /** This page's rows, sorted across the whole team. */
  rows: TeamRow[];
  /** Members before the attention filter. */
  totalRunners: number;
  /** Rows after the attention filter, on all pages. */
  shownRunners: number;
  /** Runners (of the whole team) with a reason to look at them today. */
  attentionRunners: number;
  pageSize: number;
  pageCount: number;
  query: Required<TeamQuery>;
}

type SortKey = (row: TeamRow) => number | string | null;

const SORT_KEYS: Record<TeamSort, SortKey> = {
  attention: (row) => row.urgency,
  name: (row) => row.runner.name.toLowerCase(),
  last7: (row) => row.summary.last7DaysM,
  change: (row) => row.summary.changeRatio,
  longest: (row) => row.summary.biggestRecentRun?.ratio ?? null,
  acwr: (row) => row.summary.acwr,
  pain: (row) => row.latestPain?.report.startUtc.getTime() ?? null,
  shoes: (row) => row.shoe?.share ?? null,
};

/** Ascending by default only for names; for figures the biggest comes first. */
export function defaultOrder(sort: TeamSort): SortOrder {
  return sort === 'name' ? 'asc' : 'desc';
}

/** Sorts rows; rows without a value go last whatever the order; ties by name. */
export function sortRows(rows: readonly TeamRow[], sort: TeamSort, order: SortOrder): TeamRow[] {
  const key = SORT_KEYS[sort];
  const direction = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    if (x < y) return -direction;
    if (x > y) return direction;
    return byName(a, b);
  });
}

function byName(a: TeamRow, b: TeamRow): number {
  return a.runner.name.localeCompare(b.runner.name);
}

/** The coach's morning view: one row per runner who accepted, with what needs attention first. */
@Injectable()
export class TeamDashboard {
  constructor(
    private readonly teams: TeamsService,
    private readonly records: RunnerRecords,
    private readonly access: RunnerAccess,
    private readonly summaries: LoadSummaryStore,
    private readonly users: UsersService,
  ) {}

  async forCoach(coachId: string, teamId: string, query: TeamQuery = {}, now = new Date()): Promise<TeamDashboardData> {
    const { team, memberships } = await this.teams.coachedTeamMemberships(coachId, teamId);
    const ids = memberships.map((membership) => membership.runnerId);
    const [runners, stravaVisible, alerts] = await Promise.all([
      this.users.byIds(ids),
      this.access.coachViews(coachId, ids),
      this.records.openAlerts(ids),
    ]);
    const members = memberships.map((membership) => ({ membership, runner: runners.get(membership.runnerId)! }));
    const scopes: RecordScope[] = ids.map((runnerId) => ({ runnerId, includeStravaData: stravaVisible.get(runnerId) === true }));
    const figures = await this.summaries.figures(
      members.map(({ runner }, index) => ({ ...scopes[index], timezone: runner.timezone, syncedThrough: runner.lastSyncedAt })),
      now,
    );
    const rows = members.map(({ runner }, index): TeamRow => {
      const thresholds = thresholdsOf(runner);
      const { summary, shoes, latestPain: painLatest } = figures.get(runner.id)!;
      const openAlerts = (alerts.get(runner.id) ?? []).map(({ rule, severity, response }) => ({ rule, severity, response }));
      const shoe = mostWornShoe(shoes, thresholds);
      const attention = attentionReasons({ summary, openAlerts, pain: painLatest, shoe, thresholds, now });
      return {
        runner: { id: runner.id, name: displayName(runner), email: runner.email },
        includesStravaData: scopes[index].includeStravaData,
        summary,
        latestPain: painLatest,
        shoe,
        openAlerts,
        attention,
        urgency: urgency(openAlerts, attention),
      };
    });
    const shown = query.attentionOnly ? rows.filter((row) => row.attention.length > 0) : rows;
    const pageCount = Math.max(1, Math.ceil(shown.length / TEAM_PAGE_SIZE));
    const resolved: Required<TeamQuery> = {
      sort: query.sort ?? 'attention',
      order: query.order ?? defaultOrder(query.sort ?? 'attention'),
      attentionOnly: query.attentionOnly ?? false,
      page: Math.min(Math.max(1, query.page ?? 1), pageCount),
    };
    const sorted = sortRows(shown, resolved.sort, resolved.order);
    return {
      team,
      rows: sorted.slice((resolved.page - 1) * TEAM_PAGE_SIZE, resolved.page * TEAM_PAGE_SIZE),
      totalRunners: rows.length,
      shownRunners: shown.length,
      attentionRunners: rows.filter((row) => row.attention.length > 0).length,
      pageSize: TEAM_PAGE_SIZE,
      pageCount,
      query: resolved,
    };
  }
}
