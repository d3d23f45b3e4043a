import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { RunnerAccess } from '@deload/auth';
import { UsersService } from '@deload/users';
import { DomainError, forbidden, invalid, isUuid, notFound } from '@deload/domain';
import { MembershipEntity, MembershipStatus, TeamEntity, UserEntity } from '@deload/persistence';
import { SharingScope } from './sharing-scope';

const NAME_MAX = 120;

export interface CoachedTeam {
  team: TeamEntity;
  activeRunners: number;
}

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
    @InjectRepository(TeamEntity) private readonly teams: Repository<TeamEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly access: RunnerAccess,
  ) {}

  /** Creates a team; its creator becomes a coach (a runner who coaches becomes "both"). */
  async create(coach: UserEntity, rawName: unknown): Promise<TeamEntity> {
    const name = typeof rawName === 'string' ? rawName.trim().replace(/\s+/g, ' ') : '';
    if (!name) throw invalid('give the team a name');
    if (name.length > NAME_MAX) throw invalid(`a team name can be at most ${NAME_MAX} characters`);
    const team = await this.teams.save(this.teams.create({ name, coachId: coach.id, inviteCode: newInviteCode() }));
    await this.users.grantRole(coach, 'coach');
    return team;
  }

  async coachedTeams(coachId: string): Promise<CoachedTeam[]> {
    const rows: { id: string; active: string }[] = await this.dataSource.query(
      `SELECT t.id, count(m.id) FILTER (WHERE m.status = 'active') AS active
         FROM teams t LEFT JOIN memberships m ON m.team_id = t.id
        WHERE t.coach_id = $1 GROUP BY t.id`,
      [coachId],
    );
    if (!rows.length) return [];
    const teams = await this.teams.find({ where: rows.map((row) => ({ id: row.id })), order: { createdAt: 'ASC' } });
    const active = new Map(rows.map((row) => [row.id, Number(row.active)]));
    return teams.map((team) => ({ team, activeRunners: active.get(team.id) ?? 0 }));
  }

  /** The coach's own team, or DomainError('forbidden') — the same for another coach's team and no team. */
  async coachedTeam(coachId: string, teamId: string): Promise<TeamEntity> {
    const team = isUuid(teamId) ? await this.teams.findOneBy({ id: teamId, coachId }) : null;
    if (!team) throw forbidden('this is not one of your teams');
    return team;
  }

  /** Replaces the invite code: links with the old one stop working (runners who joined stay). */
  async rotateInvite(coachId: string, teamId: string): Promise<TeamEntity> {
    const team = await this.coachedTeam(coachId, teamId);
    team.inviteCode = newInviteCode();
    return this.teams.save(team);
  }

  /** Runners who accepted and have not left, oldest member first. */
  async activeMembers(coachId: string, teamId: string): Promise<TeamMember[]> {
    await this.coachedTeam(coachId, teamId);
    const memberships = await this.memberships.find({ where: { teamId, status: 'active' }, order: { consentGivenAt: 'ASC' } });
    if (!memberships.length) return [];
    const runners = await this.users.byIds(memberships.map((membership) => membership.runnerId));
    return memberships.map((membership) => ({ membership, runner: runners.get(membership.runnerId)! }));
  }

  /** How many invited runners declined or left (the coach sees counts, not who). */
  async inactiveCounts(coachId: string, teamId: string): Promise<Record<Exclude<MembershipStatus, 'active'>, number>> {
    await this.coachedTeam(coachId, teamId);
    const rows: { status: MembershipStatus; count: string }[] = await this.dataSource.query(
      `SELECT status, count(*) AS count FROM memberships WHERE team_id = $1 AND status <> 'active' GROUP BY status`,
      [teamId],
    );
    const counts = { declined: 0, left: 0 };
    for (const row of rows) counts[row.status as keyof typeof counts] = Number(row.count);
    return counts;
  }

  /** What the invite link shows: the team, its coach and exactly what joining shares. */
  async invite(code: string, viewer?: Pick<UserEntity, 'id'>): Promise<Invite> {
    const team = typeof code === 'string' && code.length <= 64 ? await this.teams.findOneBy({ inviteCode: code }) : null;
    if (!team) throw notFound('this invite link is not valid (any more): ask your coach for a new one');
    const coach = await this.users.byId(team.coachId);
    const membership = viewer ? await this.memberships.findOneBy({ teamId: team.id, runnerId: viewer.id }) : null;
    return { team, coach: coachSummary(coach), scope: this.currentScope(), membership };
  }

  /** Accepts (consent, recorded with what was shown) or declines an invite. Answering again changes the answer. */
  async answer(runner: UserEntity, code: string, answer: InviteAnswer): Promise<MembershipEntity> {
    const { team } = await this.invite(code);
    if (team.coachId === runner.id) throw invalid('you coach this team: share the link with your runners instead');
    const accepted = answer === 'accept';
    await this.memberships
      .createQueryBuilder()
      .insert()
      .values({
        teamId: team.id,
        runnerId: runner.id,
        status: accepted ? 'active' : 'declined',
        consentGivenAt: accepted ? () => 'now()' : null,
        leftAt: null,
        scope: accepted ? { ...this.currentScope() } : {},
      })
      .orUpdate(['status', 'consent_given_at', 'left_at', 'scope', 'updated_at'], ['team_id', 'runner_id'])
      .execute();
    return this.memberships.findOneByOrFail({ teamId: team.id, runnerId: runner.id });
  }

  /** The runner leaves; the coach loses access with this statement. */
  async leave(runnerId: string, teamId: string): Promise<void> {
    const result = isUuid(teamId)
      ? await this.memberships.update({ teamId, runnerId, status: 'active' }, { status: 'left', leftAt: () => 'now()' })
      : { affected: 0 };
    if (!result.affected) throw new DomainError('not_found', 'you are not a member of this team');
  }

  /** Every team the runner has answered, with its coach. */
  async membershipsOf(runnerId: string): Promise<RunnerMembership[]> {
    const memberships = await this.memberships.find({ where: { runnerId }, order: { createdAt: 'ASC' } });
    if (!memberships.length) return [];
    const teams = new Map(
      (await this.teams.findBy({ id: In(memberships.map((membership) => membership.teamId)) })).map((team) => [team.id, team]),
    );
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
