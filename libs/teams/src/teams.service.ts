import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RunnerAccess } from '@deload/auth';
import { UsersService } from '@deload/users';
import { DomainError, forbidden, invalid, isUuid, notFound } from '@deload/domain';
import { MembershipEntity, MembershipStatus, TeamEntity, TeamsRepository, TeamWithActiveCount, UserEntity } from '@deload/persistence';
import { SharingScope } from './sharing-scope';

const NAME_MAX = 120;

export type CoachedTeam = TeamWithActiveCount;

export interface Invite {
  team: TeamEntity;
  coach: Pick<UserEntity, 'id' | 'email' | 'displayName'>;
  scope: SharingScope;
  /** The viewer's current answer to this team, if any. */
  membership: MembershipEntity | null;
}

export interface RunnerMembership {
  membership: MembershipEntity;
  team: TeamEntity;
  coach: Pick<UserEntity, 'id' | 'email' | 'displayName'>;
}

export interface TeamMember {
  runner: UserEntity;
  membership: MembershipEntity;
}

export type InviteAnswer = 'accept' | 'decline';

function newInviteCode(): string {
  return randomBytes(18).toString('base64url');
}

function coachSummary(user: UserEntity) {
  return { id: user.id, email: user.email, displayName: user.displayName };
}

/**
 * Teams and consent. A coach creates a team and shares its invite link; a runner who opens it sees
 * what will be shared and accepts or declines; a runner can leave at any time. Only `active`
 * memberships give a coach access (RunnerAccess reads the same rows, so leaving takes effect at once).
 */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly users: UsersService,
    private readonly access: RunnerAccess,
  ) {}

  /** Creates a team; its creator becomes a coach (a runner who coaches becomes "both"). */
  async create(coach: UserEntity, rawName: unknown): Promise<TeamEntity> {
    const name = typeof rawName === 'string' ? rawName.trim().replace(/\s+/g, ' ') : '';
    if (!name) throw invalid('give the team a name');
    if (name.length > NAME_MAX) throw invalid(`a team name can be at most ${NAME_MAX} characters`);
    const team = await this.teams.create({ name, coachId: coach.id, inviteCode: newInviteCode() });
    await this.users.grantRole(coach, 'coach');
    return team;
  }

  coachedTeams(coachId: string): Promise<CoachedTeam[]> {
    return this.teams.coachedWithActiveCounts(coachId);
  }

  /** The coach's own team, or DomainError('forbidden') — the same for another coach's team and no team. */
  async coachedTeam(coachId: string, teamId: string): Promise<TeamEntity> {
    const team = isUuid(teamId) ? await this.teams.coachedBy(coachId, teamId) : null;
    if (!team) throw forbidden('this is not one of your teams');
    return team;
  }

  /** Replaces the invite code: links with the old one stop working (runners who joined stay). */
  async rotateInvite(coachId: string, teamId: string): Promise<TeamEntity> {
    const team = await this.coachedTeam(coachId, teamId);
    return this.teams.setInviteCode(team, newInviteCode());
  }

  /** Runners who accepted and have not left, oldest member first. */
  async activeMembers(coachId: string, teamId: string): Promise<TeamMember[]> {
    return (await this.coachedTeamMembers(coachId, teamId)).members;
  }

  /** The coach's team with its active members (as activeMembers), checking the coach once. */
  async coachedTeamMembers(coachId: string, teamId: string): Promise<{ team: TeamEntity; members: TeamMember[] }> {
    const { team, memberships } = await this.coachedTeamMemberships(coachId, teamId);
    if (!memberships.length) return { team, members: [] };
    const runners = await this.users.byIds(memberships.map((membership) => membership.runnerId));
    return { team, members: memberships.map((membership) => ({ membership, runner: runners.get(membership.runnerId)! })) };
  }

  /** The coach's team and its active memberships, oldest first (without the runners: the team page reads them alongside other things). */
  async coachedTeamMemberships(coachId: string, teamId: string): Promise<{ team: TeamEntity; memberships: MembershipEntity[] }> {
    // The memberships are only returned once the team is known to be the coach's: both are read at once.
    const [team, memberships] = await Promise.all([
      this.coachedTeam(coachId, teamId),
      isUuid(teamId) ? this.teams.activeMemberships(teamId) : Promise.resolve([]),
    ]);
    return { team, memberships };
  }

  /** How many invited runners declined or left (the coach sees counts, not who). */
  async inactiveCounts(coachId: string, teamId: string): Promise<Record<Exclude<MembershipStatus, 'active'>, number>> {
    return this.inactiveCountsOf(await this.coachedTeam(coachId, teamId));
  }

  /** As inactiveCounts, for a team already checked to be the coach's (coachedTeam / coachedTeamMembers). */
  async inactiveCountsOf(team: TeamEntity): Promise<Record<Exclude<MembershipStatus, 'active'>, number>> {
    return this.teams.inactiveCounts(team.id);
  }

  /** What the invite link shows: the team, its coach and exactly what joining shares. */
  async invite(code: string, viewer?: Pick<UserEntity, 'id'>): Promise<Invite> {
    const team = typeof code === 'string' && code.length <= 64 ? await this.teams.byInviteCode(code) : null;
    if (!team) throw notFound('this invite link is not valid (any more): ask your coach for a new one');
    const coach = await this.users.byId(team.coachId);
    const membership = viewer ? await this.teams.membership(team.id, viewer.id) : null;
    return { team, coach: coachSummary(coach), scope: this.currentScope(), membership };
  }

  /** Accepts (consent, recorded with what was shown) or declines an invite. Answering again changes the answer. */
  async answer(runner: UserEntity, code: string, answer: InviteAnswer): Promise<MembershipEntity> {
    const { team } = await this.invite(code);
    if (team.coachId === runner.id) throw invalid('you coach this team: share the link with your runners instead');
    return this.teams.recordAnswer(
      team.id,
      runner.id,
      answer === 'accept' ? { status: 'active', scope: { ...this.currentScope() } } : { status: 'declined' },
    );
  }

  /** The runner leaves; the coach loses access with this statement. */
  async leave(runnerId: string, teamId: string): Promise<void> {
    const left = isUuid(teamId) && (await this.teams.leave(teamId, runnerId));
    if (!left) throw new DomainError('not_found', 'you are not a member of this team');
  }

  /** Every team the runner has answered, with its coach. */
  async membershipsOf(runnerId: string): Promise<RunnerMembership[]> {
    const memberships = await this.teams.membershipsOf(runnerId);
    if (!memberships.length) return [];
    const teams = new Map((await this.teams.byIds(memberships.map((membership) => membership.teamId))).map((team) => [team.id, team]));
    const coaches = await this.users.byIds([...teams.values()].map((team) => team.coachId));
    return memberships.map((membership) => {
      const team = teams.get(membership.teamId)!;
      return { membership, team, coach: coachSummary(coaches.get(team.coachId)!) };
    });
  }

  private currentScope(): SharingScope {
    return { stravaData: this.access.coachSharingEnabled() };
  }
}
