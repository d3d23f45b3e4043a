import { Injectable } from '@nestjs/common';
import { alertForViewer, RunnerAccess, RunnerView, Viewer } from '@deload/auth';
import { forbidden, isUuid, type DistanceUnit } from '@deload/domain';
import { AlertEntity, AlertsRepository, RunDetail, RunListFilter, RunListRow, RunsRepository, ShoesRepository } from '@deload/persistence';
import { alertContent, type AlertContent } from '@deload/rules';
import { UsersService } from '@deload/users';
import { AlertHistoryEntry, displayName } from './runner-overview.service';

/** Runs per page of the runs list. */
export const RUNS_PER_PAGE = 50;

/** The same answer for "no such run" and "not yours to see". */
const NO_SUCH_RUN = 'no such run, or not yours to see';

export interface RunnerOfList {
  id: string;
  name: string;
  units: DistanceUnit;
  timezone: string;
}

export interface RunsListData {
  runner: RunnerOfList;
  view: RunnerView;
  runs: RunListRow[];
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
  pages: number;
  filter: RunListFilter;
  /** The runner's shoes to put runs on (only for the runner: a coach changes nothing). */
  shoes: { id: string; name: string; retired: boolean }[];
}

/** An alert a run took part in, as the viewer may see it, with the figures and words of its email (null when withheld). */
export type RunAlert = Pick<
  AlertHistoryEntry,
  'id' | 'rule' | 'severity' | 'state' | 'firstSeenAt' | 'lastSeenAt' | 'facts' | 'detailsWithheld'
> & {
  content: AlertContent | null;
};

export interface RunPageData {
  runner: RunnerOfList;
  view: RunnerView;
  run: RunDetail;
  /** Distance ÷ the longest run of the 30 days before (what single-run-spike compares); null without one. */
  spikeRatio: number | null;
  alerts: RunAlert[];
  shoes: { id: string; name: string; retired: boolean }[];
}

/**
 * The runs list and a run's own page (issue 15), for the runner or a coach of a team the runner
 * accepted: every row passes the viewer policy (libs/auth runner-data-policy; RUNNER_DATA_SQL picks
 * the rows), so a coach without Strava sharing sees no Strava-only run, title, gear or source.
 */
@Injectable()
export class RunsList {
  constructor(
    private readonly access: RunnerAccess,
    private readonly users: UsersService,
    private readonly runs: RunsRepository,
    private readonly shoes: ShoesRepository,
    private readonly alerts: AlertsRepository,
  ) {}

  async page(viewer: Viewer, runnerId: string, filter: RunListFilter, page: number): Promise<RunsListData> {
    const view = await this.access.viewOf(viewer, runnerId);
    const runner = await this.runnerOf(runnerId);
    const offset = (page - 1) * RUNS_PER_PAGE;
    const listed = await this.runs.listPage(runnerId, view.includeStravaData, filter, { offset, limit: RUNS_PER_PAGE });
    return {
      runner,
      view,
      runs: listed.runs,
      total: listed.total,
      page,
      pageSize: RUNS_PER_PAGE,
      pages: Math.max(1, Math.ceil(listed.total / RUNS_PER_PAGE)),
      filter,
      shoes: view.isSelf ? await this.shoesOf(runnerId) : [],
    };
  }

  async run(viewer: Viewer, runId: string): Promise<RunPageData> {
    const stored = isUuid(runId) ? await this.runs.byId(runId) : null;
    if (!stored || !(await this.access.canView(viewer, stored.userId))) throw forbidden(NO_SUCH_RUN);
    const view = await this.access.viewOf(viewer, stored.userId);
    const run = await this.runs.detailOf(stored.userId, runId, view.includeStravaData);
    if (!run) throw forbidden(NO_SUCH_RUN);
    const runner = await this.runnerOf(stored.userId);
    const alerts = await this.alerts.involvingRun(stored.userId, run.id, run.localDate);
    return {
      runner,
      view,
      run,
      spikeRatio: run.isRun && run.previousLongestM ? run.distanceM / run.previousLongestM : null,
      alerts: alerts.map((alert) => runAlert(alertForViewer(alert, view.includeStravaData), runner.units)),
      shoes: view.isSelf ? await this.shoesOf(stored.userId) : [],
    };
  }

  private async runnerOf(runnerId: string): Promise<RunnerOfList> {
    const runner = await this.users.byId(runnerId);
    return { id: runner.id, name: displayName(runner), units: runner.units, timezone: runner.timezone };
  }

  private async shoesOf(runnerId: string): Promise<RunsListData['shoes']> {
    return (await this.shoes.ofUser(runnerId)).map(({ id, name, retired }) => ({ id, name, retired }));
  }
}

function runAlert(alert: AlertEntity & { detailsWithheld: boolean }, units: DistanceUnit): RunAlert {
  const { id, rule, severity, state, firstSeenAt, lastSeenAt, facts, detailsWithheld } = alert;
  return {
    id,
    rule,
    severity,
    state,
    firstSeenAt,
    lastSeenAt,
    facts,
    detailsWithheld,
    content: detailsWithheld ? null : alertContent(alert, units),
  };
}
