import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { TEAM_SORTS, TeamDashboard } from '@deload/dashboard';
import type { MembershipEntity, TeamEntity, UserEntity } from '@deload/persistence';
import { sharedItems, TeamsService } from '@deload/teams';
import { ApiBodyFrom, parseInput } from '../common/validation';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';
import { parseTeamQuery } from './team-query';

const newTeamSchema = z.strictObject({ name: z.string({ error: 'must be a team name' }).describe('1–120 characters') });

function membershipView(membership: MembershipEntity | null) {
  if (!membership) return null;
  const { status, consentGivenAt, leftAt, scope } = membership;
  return { status, consentGivenAt, leftAt, scope };
}

@ApiTags('teams')
@SignedInApi()
@Controller('api')
export class TeamsApiController {
  constructor(
    private readonly teams: TeamsService,
    private readonly dashboard: TeamDashboard,
    private readonly config: AppConfig,
  ) {}

  @Get('teams')
  @ApiOperation({ summary: 'Teams you coach and teams you share your training with' })
  @ApiOkResponse({
    description:
      '`{ coached: [{ id, name, activeRunners, inviteUrl }], memberships: [{ team: { id, name }, coach, status, consentGivenAt, leftAt }] }`',
  })
  async list(@CurrentUser() user: UserEntity) {
    const [coached, memberships] = await Promise.all([this.teams.coachedTeams(user.id), this.teams.membershipsOf(user.id)]);
    return {
      coached: coached.map(({ team, activeRunners }) => ({ ...this.teamView(team), activeRunners, inviteUrl: this.inviteUrl(team) })),
      memberships: memberships.map(({ membership, team, coach }) => ({ team: this.teamView(team), coach, ...membershipView(membership) })),
    };
  }

  @Post('teams')
  @NeedsCsrf()
  @ApiOperation({ summary: 'Create a team (you become its coach)' })
  @ApiBodyFrom(newTeamSchema)
  @ApiCreatedResponse({ description: '`{ id, name, inviteUrl }`' })
  async create(@CurrentUser() user: UserEntity, @Body() body: unknown) {
    const team = await this.teams.create(user, parseInput(newTeamSchema, body).name);
    return { ...this.teamView(team), inviteUrl: this.inviteUrl(team) };
  }

  @Get('teams/:teamId')
  @ApiOperation({
    summary: 'The coach’s team view: one row per runner who accepted',
    description:
      'Rows carry the last 7 days, the mean week of the 4 weeks before, the change, the run that stood out most against the 30 days before it, ACWR (context only), the latest pain report with its trend, the most worn shoe, open alerts, 12 weekly distances for a sparkline and why the runner needs attention. Distances in metres.',
  })
  @ApiQuery({ name: 'sort', required: false, enum: TEAM_SORTS })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'filter', required: false, enum: ['all', 'attention'] })
  @ApiQuery({
    name: 'page',
    required: false,
    type: Number,
    description: 'Page of 100 rows, from 1 (sorting and the filter cover the whole team)',
  })
  @ApiOkResponse({
    description:
      '`{ team: { id, name, inviteUrl }, totalRunners, shownRunners, attentionRunners, pageSize, pageCount, query, rows: [...] }`',
  })
  async team(@CurrentUser() user: UserEntity, @Param('teamId') teamId: string, @Query() query: unknown) {
    const data = await this.dashboard.forCoach(user.id, teamId, parseTeamQuery(query));
    return { ...data, team: { ...this.teamView(data.team), inviteUrl: this.inviteUrl(data.team) } };
  }

  @Post('teams/:teamId/invite')
  @NeedsCsrf()
  @ApiOperation({ summary: 'Replace the invite link (the old one stops working; members stay)' })
  @ApiCreatedResponse({ description: '`{ inviteUrl }`' })
  async rotateInvite(@CurrentUser() user: UserEntity, @Param('teamId') teamId: string) {
    return { inviteUrl: this.inviteUrl(await this.teams.rotateInvite(user.id, teamId)) };
  }

  @Post('teams/:teamId/leave')
  @HttpCode(204)
  @NeedsCsrf()
  @ApiOperation({ summary: 'Leave a team you share your training with; the coach loses access at once' })
  @ApiNoContentResponse({ description: 'Left' })
  @ApiNotFoundResponse({ description: 'You are not an active member of this team' })
  async leave(@CurrentUser() user: UserEntity, @Param('teamId') teamId: string) {
    await this.teams.leave(user.id, teamId);
  }

  @Get('invites/:code')
  @ApiOperation({ summary: 'What an invite link shares: the team, its coach, and exactly what the coach would see' })
  @ApiOkResponse({ description: '`{ team: { id, name }, coach, shared: [{ label, shared, why? }], membership }`' })
  @ApiNotFoundResponse({ description: 'The link is not valid (any more)' })
  async invite(@CurrentUser() user: UserEntity, @Param('code') code: string) {
    const invite = await this.teams.invite(code, user);
    return {
      team: this.teamView(invite.team),
      coach: invite.coach,
      shared: sharedItems(invite.scope),
      membership: membershipView(invite.membership),
    };
  }

  @Post('invites/:code/accept')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({ summary: 'Accept: share your training with the coach (consent is recorded with what was shown)' })
  @ApiOkResponse({ description: 'The membership: `{ status: "active", consentGivenAt, leftAt, scope }`' })
  async accept(@CurrentUser() user: UserEntity, @Param('code') code: string) {
    return membershipView(await this.teams.answer(user, code, 'accept'));
  }

  @Post('invites/:code/decline')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({ summary: 'Decline the invite (also stops sharing if you had accepted)' })
  @ApiOkResponse({ description: 'The membership: `{ status: "declined", … }`' })
  async decline(@CurrentUser() user: UserEntity, @Param('code') code: string) {
    return membershipView(await this.teams.answer(user, code, 'decline'));
  }

  private teamView(team: TeamEntity) {
    return { id: team.id, name: team.name };
  }

  private inviteUrl(team: TeamEntity): string {
    return this.config.publicUrl(`/join/${team.inviteCode}`);
  }
}
