import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { MembershipEntity, MembershipStatus } from '../entities/membership.entity';
import { TeamEntity } from '../entities/team.entity';
import { TableRepository } from './table-repository';

export interface TeamWithActiveCount {
  team: TeamEntity;
  activeRunners: number;
}

/** A runner's answer to an invite, with what they agreed to share when they accepted. */
export type InviteAnswerRow = { status: 'active'; scope: Record<string, unknown> } | { status: 'declined' };

/** One line of a coach's roster: a team, and one of its active runners (none for a team without runners). */
export interface RosterLine {
  teamId: string;
  teamName: string;
  runnerId: string | null;
  runnerName: string | null;
  runnerEmail: string | null;
  /** The coach's distance units. */
  coachUnits: 'km' | 'mi';
}

/**
 * Teams and their memberships (a runner's consent to a coach's team). Only `active` memberships
 * give the coach access to the runner's data.
 */
@Injectable()
export class TeamsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  create(team: Pick<TeamEntity, 'name' | 'coachId' | 'inviteCode'>): Promise<TeamEntity> {
    return this.db().save(this.db().create(TeamEntity, team));
  }

  byIds(ids: readonly string[]): Promise<TeamEntity[]> {
    return this.db().findBy(TeamEntity, { id: In([...ids]) });
  }

  /** The team, if `coachId` coaches it. */
  coachedBy(coachId: string, teamId: string): Promise<TeamEntity | null> {
    return this.db().findOneBy(TeamEntity, { id: teamId, coachId });
  }

  /** The coach's team of this name (the demo finds its team so). */
  byCoachAndName(coachId: string, name: string): Promise<TeamEntity | null> {
    return this.db().findOneBy(TeamEntity, { coachId, name });
  }

  byInviteCode(inviteCode: string): Promise<TeamEntity | null> {
    return this.db().findOneBy(TeamEntity, { inviteCode });
  }

  /** The coach's teams, oldest first, each with how many runners are active in it. */
  async coachedWithActiveCounts(coachId: string): Promise<TeamWithActiveCount[]> {
    const rows: { id: string; active: string }[] = await this.db().query(
      `SELECT t.id, count(m.id) FILTER (WHERE m.status = 'active') AS active
         FROM teams t LEFT JOIN memberships m ON m.team_id = t.id
        WHERE t.coach_id = $1 GROUP BY t.id`,
      [coachId],
    );
    if (!rows.length) return [];
    const teams = await this.db().find(TeamEntity, { where: rows.map((row) => ({ id: row.id })), order: { createdAt: 'ASC' } });
    const active = new Map(rows.map((row) => [row.id, Number(row.active)]));
    return teams.map((team) => ({ team, activeRunners: active.get(team.id) ?? 0 }));
  }

  /** Saves the team's new invite code (links with the old one stop working). */
  setInviteCode(team: TeamEntity, inviteCode: string): Promise<TeamEntity> {
    team.inviteCode = inviteCode;
    return this.db().save(team);
  }

  /** The runner's membership of the team, whatever its status. */
  membership(teamId: string, runnerId: string): Promise<MembershipEntity | null> {
    return this.db().findOneBy(MembershipEntity, { teamId, runnerId });
  }

  /** Active memberships of the team, the oldest consent first. */
  activeMemberships(teamId: string): Promise<MembershipEntity[]> {
    return this.db().find(MembershipEntity, { where: { teamId, status: 'active' }, order: { consentGivenAt: 'ASC' } });
  }

  /** How many runners of the team declined and how many left. */
  async inactiveCounts(teamId: string): Promise<Record<Exclude<MembershipStatus, 'active'>, number>> {
    const rows: { status: MembershipStatus; count: string }[] = await this.db().query(
      `SELECT status, count(*) AS count FROM memberships WHERE team_id = $1 AND status <> 'active' GROUP BY status`,
      [teamId],
    );
    const counts = { declined: 0, left: 0 };
    for (const row of rows) counts[row.status as keyof typeof counts] = Number(row.count);
    return counts;
  }

  /** Every membership the runner has (any status), oldest first. */
  membershipsOf(runnerId: string): Promise<MembershipEntity[]> {
    return this.db().find(MembershipEntity, { where: { runnerId }, order: { createdAt: 'ASC' } });
  }

  /** How many teams the runner is an active member of. */
  async activeMembershipCount(runnerId: string): Promise<number> {
    const [{ teams }] = await this.db().query(`SELECT count(*)::int AS teams FROM memberships WHERE runner_id = $1 AND status = 'active'`, [
      runnerId,
    ]);
    return teams;
  }

  /**
   * Records the runner's answer to the team's invite (consent given now when accepting); answering
   * again replaces the previous answer. Returns the membership as stored.
   */
  async recordAnswer(teamId: string, runnerId: string, answer: InviteAnswerRow): Promise<MembershipEntity> {
    const accepted = answer.status === 'active';
    await this.db()
      .createQueryBuilder()
      .insert()
      .into(MembershipEntity)
      .values({
        teamId,
        runnerId,
        status: answer.status,
        consentGivenAt: accepted ? () => 'now()' : null,
        leftAt: null,
        scope: answer.status === 'active' ? answer.scope : {},
      } as QueryDeepPartialEntity<MembershipEntity>)
      .orUpdate(['status', 'consent_given_at', 'left_at', 'scope', 'updated_at'], ['team_id', 'runner_id'])
      .execute();
    return this.db().findOneByOrFail(MembershipEntity, { teamId, runnerId });
  }

  /** The runner's active membership ends now; false when they had none in this team. */
  async leave(teamId: string, runnerId: string): Promise<boolean> {
    const result = await this.db().update(
      MembershipEntity,
      { teamId, runnerId, status: 'active' },
      { status: 'left', leftAt: () => 'now()' },
    );
    return !!result.affected;
  }

  /** Whether the runner is active in one of the coach's teams. */
  async isCoachOf(coachId: string, runnerId: string): Promise<boolean> {
    const rows = await this.db().query(
      `SELECT 1 FROM memberships m JOIN teams t ON t.id = m.team_id
        WHERE t.coach_id = $1 AND m.runner_id = $2 AND m.status = 'active' LIMIT 1`,
      [coachId, runnerId],
    );
    return rows.length > 0;
  }

  /**
   * The runners among `runnerIds` active in one of the coach's teams, each with whether they
   * consented to share their Strava data in at least one of those memberships (scope.stravaData).
   */
  async stravaConsentOfCoachedRunners(coachId: string, runnerIds: readonly string[]): Promise<Map<string, boolean>> {
    const rows: { runner_id: string; strava: boolean }[] = await this.db().query(
      `SELECT m.runner_id, bool_or(coalesce((m.scope->>'stravaData')::boolean, false)) AS strava
         FROM memberships m JOIN teams t ON t.id = m.team_id
        WHERE t.coach_id = $1 AND m.runner_id = ANY($2::uuid[]) AND m.status = 'active'
        GROUP BY m.runner_id`,
      [coachId, runnerIds],
    );
    return new Map(rows.map((row) => [row.runner_id, row.strava === true]));
  }

  /** The coach's teams by name, each with its active runners by name (or address), for the weekly digest. */
  async rosterOf(coachId: string): Promise<RosterLine[]> {
    const rows: {
      team_id: string;
      team_name: string;
      runner_id: string | null;
      name: string | null;
      email: string | null;
      units: 'km' | 'mi';
    }[] = await this.db().query(
      `SELECT t.id AS team_id, t.name AS team_name, u.id AS runner_id, u.display_name AS name, u.email, c.units
           FROM teams t JOIN users c ON c.id = t.coach_id
           LEFT JOIN memberships m ON m.team_id = t.id AND m.status = 'active'
           LEFT JOIN users u ON u.id = m.runner_id
          WHERE t.coach_id = $1 ORDER BY t.name, lower(coalesce(u.display_name, u.email))`,
      [coachId],
    );
    return rows.map((row) => ({
      teamId: row.team_id,
      teamName: row.team_name,
      runnerId: row.runner_id,
      runnerName: row.name,
      runnerEmail: row.email,
      coachUnits: row.units,
    }));
  }

  /**
   * Account merge: the teams `sourceId` coaches become `targetId`'s, and its memberships move too,
   * except in a team where the target already is a member or the coach.
   */
  async moveToAccount(sourceId: string, targetId: string, tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE teams SET coach_id = $2 WHERE coach_id = $1`, [sourceId, targetId]);
    await tx.query(
      `UPDATE memberships m SET runner_id = $2, updated_at = now()
        WHERE m.runner_id = $1
          AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.runner_id = $2 AND o.team_id = m.team_id)
          AND NOT EXISTS (SELECT 1 FROM teams t WHERE t.id = m.team_id AND t.coach_id = $2)`,
      [sourceId, targetId],
    );
  }
}
