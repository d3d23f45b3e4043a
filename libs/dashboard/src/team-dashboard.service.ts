import { Injectable } from '@nestjs/common';
import { RunnerAccess } from '@deload/auth';
import type { TeamEntity } from '@deload/persistence';
import { TeamsService } from '@deload/teams';
import { AttentionReason, attentionReasons, OpenAlertBadge, urgency } from './attention';
import { LoadSummary, loadSummary } from './load-summary';
import { LatestPain, latestPain } from './pain-trend';
import { RecordScope, RunnerRecords } from './runner-records';
import { displayName } from './runner-overview.service';
import { thresholdsOf } from './runner-thresholds';
import { mostWornShoe, ShoeStatus } from './shoe-status';

const DAY_MS = 86_400_000;
/** 12 weeks of sparkline plus 12 weeks for the ACWR's 28-day average to settle. */
const RUNS_LOOKBACK_DAYS = 7 * 12 + 84;
const PAIN_LOOKBACK_DAYS = 180;

export const TEAM_SORTS = ['attention', 'name', 'last7', 'change', 'longest', 'acwr', 'pain', 'shoes'] as const;
export type TeamSort = (typeof TEAM_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface TeamQuery {
  sort?: TeamSort;
  order?: SortOrder;
  /** Only runners with a reason to look at them today. */
  attentionOnly?: boolean;
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
  rows: TeamRow[];
  /** Members before the attention filter. */
  totalRunners: number;
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
  ) {}

  async forCoach(coachId: string, teamId: string, query: TeamQuery = {}, now = new Date()): Promise<TeamDashboardData> {
    const team = await this.teams.coachedTeam(coachId, teamId);
    const members = await this.teams.activeMembers(coachId, teamId);
    const stravaVisible = await this.access.coachViews(
      coachId,
      members.map(({ runner }) => runner.id),
    );
    const scopes: RecordScope[] = members.map(({ runner }) => ({
      runnerId: runner.id,
      includeStravaData: stravaVisible.get(runner.id) === true,
    }));
    const ids = scopes.map((scope) => scope.runnerId);
    const [runs, pain, shoes, alerts] = await Promise.all([
      this.records.runDistances(scopes, new Date(now.getTime() - RUNS_LOOKBACK_DAYS * DAY_MS)),
      this.records.painReports(scopes, new Date(now.getTime() - PAIN_LOOKBACK_DAYS * DAY_MS)),
      this.records.shoes(scopes),
      this.records.openAlerts(ids),
    ]);
    const rows = members.map(({ runner }, index): TeamRow => {
      const thresholds = thresholdsOf(runner);
      const summary = loadSummary(runs.get(runner.id) ?? [], runner.timezone, now, { syncedThrough: runner.lastSyncedAt });
      const openAlerts = (alerts.get(runner.id) ?? []).map(({ rule, severity, response }) => ({ rule, severity, response }));
      const painLatest = latestPain(pain.get(runner.id) ?? []);
      const shoe = mostWornShoe(shoes.get(runner.id) ?? [], thresholds);
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
    const resolved: Required<TeamQuery> = {
      sort: query.sort ?? 'attention',
      order: query.order ?? defaultOrder(query.sort ?? 'attention'),
      attentionOnly: query.attentionOnly ?? false,
    };
    const shown = resolved.attentionOnly ? rows.filter((row) => row.attention.length > 0) : rows;
    return { team, rows: sortRows(shown, resolved.sort, resolved.order), totalRunners: rows.length, query: resolved };
  }
}
