import { Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { forbidden, isUuid } from '@deload/domain';
import { TeamsRepository, UserEntity } from '@deload/persistence';

export type Viewer = Pick<UserEntity, 'id'>;

/**
 * What a viewer may see of one runner (DESIGN.md → "Strava: what we may show to whom"): the runner
 * sees everything; a coach sees Strava-sourced data only when the operator enabled
 * STRAVA_COACH_SHARING, otherwise file uploads, pain reports and alerts.
 */
export interface RunnerView {
  runnerId: string;
  isSelf: boolean;
  includeStravaData: boolean;
}

/** Who may see a runner's data: the runner, and coaches of a team the runner accepted (active membership). */
const NO_ACCESS = 'you do not have access to this runner';

@Injectable()
export class RunnerAccess {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly config: AppConfig,
  ) {}

  isCoachOf(coachId: string, runnerId: string): Promise<boolean> {
    return this.teams.isCoachOf(coachId, runnerId);
  }

  async canView(viewer: Viewer, runnerId: string): Promise<boolean> {
    if (!isUuid(runnerId)) return false;
    return viewer.id === runnerId || this.isCoachOf(viewer.id, runnerId);
  }

  /** The same answer for "no such runner" and "not yours", so ids cannot be probed. */
  async assertCanView(viewer: Viewer, runnerId: string): Promise<void> {
    if (!(await this.canView(viewer, runnerId))) throw forbidden(NO_ACCESS);
  }

  /**
   * The viewer's view of the runner, or DomainError('forbidden') (the same for "no such runner").
   * A coach gets Strava-sourced data only while the operator allows it and the runner consented to
   * it (memberships.scope.stravaData, recorded when they accepted the invite).
   */
  async viewOf(viewer: Viewer, runnerId: string): Promise<RunnerView> {
    if (!isUuid(runnerId)) throw forbidden(NO_ACCESS);
    if (viewer.id === runnerId) return { runnerId, isSelf: true, includeStravaData: true };
    const includeStravaData = (await this.coachViews(viewer.id, [runnerId])).get(runnerId);
    if (includeStravaData === undefined) throw forbidden(NO_ACCESS);
    return { runnerId, isSelf: false, includeStravaData };
  }

  /**
   * For a coach: the runners among `runnerIds` they coach (active membership in any of their teams),
   * each with whether the coach may see their Strava-sourced data — allowed by the operator and
   * consented to in at least one of those memberships. Runners they do not coach are absent.
   */
  async coachViews(coachId: string, runnerIds: readonly string[]): Promise<Map<string, boolean>> {
    const consent = await this.teams.stravaConsentOfCoachedRunners(coachId, runnerIds);
    const sharing = this.config.env.STRAVA_COACH_SHARING;
    return new Map([...consent].map(([runnerId, consented]) => [runnerId, sharing && consented]));
  }

  /** Whether coaches may be shown Strava-sourced data at all on this deployment (STRAVA_COACH_SHARING). */
  coachSharingEnabled(): boolean {
    return this.config.env.STRAVA_COACH_SHARING;
  }
}
