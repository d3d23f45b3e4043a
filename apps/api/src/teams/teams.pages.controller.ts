import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Public } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { TeamDashboard } from '@deload/dashboard';
import { DomainError, SEVERITIES } from '@deload/domain';
import { SEVERITY_LABELS, SEVERITY_MEANINGS } from '@deload/rules';
import type { UserEntity } from '@deload/persistence';
import { InviteAnswer, sharedItems, TeamsService } from '@deload/teams';
import { parseTeamQuery } from './team-query';

/** The team view's legend: each severity's colour, word and what it asks of the coach. */
const SEVERITY_LEGEND = SEVERITIES.map((severity) => ({
  severity,
  label: SEVERITY_LABELS[severity],
  meaning: SEVERITY_MEANINGS[severity],
}));

/** Teams pages: the list, a coach's team view, and the invite a runner answers. */
@ApiExcludeController()
@Controller()
export class TeamsPagesController {
  constructor(
    private readonly teams: TeamsService,
    private readonly dashboard: TeamDashboard,
    private readonly config: AppConfig,
  ) {}

  @Get('teams')
  async list(@CurrentUser() user: UserEntity, @Res() res: Response) {
    await this.renderList(res, user);
  }

  @Post('teams')
  async create(@CurrentUser() user: UserEntity, @Body() body: Record<string, unknown>, @Res() res: Response) {
    try {
      const team = await this.teams.create(user, body.name);
      res.redirect(303, `/teams/${team.id}`);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'invalid')) throw error;
      res.status(400);
      await this.renderList(res, user, { error: error.message, name: String(body.name ?? '') });
    }
  }

  @Get('teams/:teamId')
  async team(@CurrentUser() user: UserEntity, @Param('teamId') teamId: string, @Query() query: unknown, @Res() res: Response) {
    const data = await this.dashboard.forCoach(user.id, teamId, parseTeamQuery(query));
    const counts = await this.teams.inactiveCountsOf(data.team);
    res.render('team', {
      title: data.team.name,
      nav: 'teams',
      wide: true,
      ...data,
      counts,
      units: user.units,
      inviteUrl: this.inviteUrl(data.team.inviteCode),
      stravaHidden: !this.config.env.STRAVA_COACH_SHARING,
      severityLegend: SEVERITY_LEGEND,
      scripts: ['/assets/vendor/chartjs/chart.umd.min.js', '/assets/charts.js'],
    });
  }

  @Post('teams/:teamId/invite')
  async rotateInvite(@CurrentUser() user: UserEntity, @Param('teamId') teamId: string, @Res() res: Response) {
    await this.teams.rotateInvite(user.id, teamId);
    res.redirect(303, `/teams/${teamId}#invite`);
  }

  @Post('teams/:teamId/leave')
  async leave(@CurrentUser() user: UserEntity, @Param('teamId') teamId: string, @Res() res: Response) {
    await this.teams.leave(user.id, teamId);
    res.redirect(303, '/teams');
  }

  /** Anyone with the link sees what joining shares; answering needs an account. */
  @Public()
  @Get('join/:code')
  async invite(@CurrentUser() user: UserEntity | undefined, @Param('code') code: string, @Res() res: Response) {
    const invite = await this.teams.invite(code, user);
    res.render('invite', {
      title: `Join ${invite.team.name}`,
      ...invite,
      code,
      shared: sharedItems(invite.scope),
      isCoach: user?.id === invite.team.coachId,
      signInUrl: `/login?next=${encodeURIComponent(`/join/${code}`)}`,
    });
  }

  @Post('join/:code/accept')
  async accept(@CurrentUser() user: UserEntity, @Param('code') code: string, @Res() res: Response) {
    await this.answer(user, code, 'accept', res);
  }

  @Post('join/:code/decline')
  async decline(@CurrentUser() user: UserEntity, @Param('code') code: string, @Res() res: Response) {
    await this.answer(user, code, 'decline', res);
  }

  private async answer(user: UserEntity, code: string, answer: InviteAnswer, res: Response) {
    await this.teams.answer(user, code, answer);
    res.redirect(303, `/join/${encodeURIComponent(code)}`);
  }

  private inviteUrl(code: string): string {
    return this.config.publicUrl(`/join/${code}`);
  }

  private async renderList(res: Response, user: UserEntity, form: { error?: string; name?: string } = {}) {
    const [coached, memberships] = await Promise.all([this.teams.coachedTeams(user.id), this.teams.membershipsOf(user.id)]);
    res.render('teams', { title: 'Teams', nav: 'teams', coached, memberships, ...form });
  }
}
