import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { RunsList } from '@deload/dashboard';
import { forbidden, isUuid } from '@deload/domain';
import { NOT_YOUR_RUN, RunEdits } from '@deload/ingest';
import type { UserEntity } from '@deload/persistence';
import { parseInput } from '../common/validation';
import { filterOf, runListQuerySchema, SPORTS } from './runs.input';

/** A form's checkbox list: absent, one value, or many. */
function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Back to the list the form was sent from: only a /runs path of ours, never another site. */
function backTo(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(runs|runners\/[0-9a-f-]{36}\/runs)(\?[^\s]*)?$/.test(value) ? value : fallback;
}

/** The runs list (/runs, /runners/:id/runs) and a run's page (/runs/:id) with the runner's changes to it. */
@ApiExcludeController()
@Controller()
export class RunsPagesController {
  constructor(
    private readonly list: RunsList,
    private readonly edits: RunEdits,
  ) {}

  @Get('runs')
  async own(@CurrentUser() user: UserEntity, @Query() query: Record<string, unknown>, @Res() res: Response) {
    await this.renderList(res, user, user.id, query, '/runs');
  }

  @Get('runners/:runnerId/runs')
  async runners(
    @CurrentUser() user: UserEntity,
    @Param('runnerId') runnerId: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ) {
    await this.renderList(res, user, runnerId, query, `/runners/${runnerId}/runs`);
  }

  @Get('runs/:id')
  async run(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const done = query.done;
    const data = await this.list.run(user, runId);
    res.render('runs/run', {
      title: data.run.name ?? `Run of ${data.run.localDate}`,
      nav: data.view.isSelf ? 'me' : 'teams',
      ...data,
      units: user.units,
      listPath: data.view.isSelf ? '/runs' : `/runners/${data.runner.id}/runs`,
      done: done === 'shoe' || done === 'not-a-run' || done === 'run' ? done : null,
      confirmDelete: query.confirm === 'delete',
    });
  }

  @Post('runs/shoe')
  async assignShoe(@CurrentUser() user: UserEntity, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const back = backTo(body.back, '/runs');
    const join = back.includes('?') ? '&' : '?';
    const runIds = asList(body.runIds);
    if (!runIds.length) return res.redirect(303, `${back}${join}error=none-picked`);
    const changed = await this.edits.assignShoe(user.id, runIds, shoeIdOf(body.shoeId));
    res.redirect(303, `${back}${join}changed=${changed}`);
  }

  @Post('runs/:id/shoe')
  async assignOneShoe(
    @CurrentUser() user: UserEntity,
    @Param('id') runId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    await this.edits.assignShoe(user.id, [runId], shoeIdOf(body.shoeId));
    res.redirect(303, `/runs/${runId}?done=shoe`);
  }

  @Post('runs/:id/not-a-run')
  async notARun(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const notARun = body.notARun === 'true';
    await this.edits.markNotARun(user.id, runId, notARun);
    res.redirect(303, `/runs/${runId}?done=${notARun ? 'not-a-run' : 'run'}`);
  }

  @Post('runs/:id/delete')
  async remove(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    if (!isUuid(runId)) throw forbidden(NOT_YOUR_RUN);
    if (body.confirm !== 'yes') return res.redirect(303, `/runs/${runId}?confirm=delete`);
    await this.edits.deleteRun(user.id, runId);
    res.redirect(303, '/runs?deleted=1');
  }

  private async renderList(res: Response, viewer: UserEntity, runnerId: string, query: Record<string, unknown>, path: string) {
    const input = parseInput(runListQuerySchema, query);
    const data = await this.list.page(viewer, runnerId, filterOf(input), input.page ?? 1);
    const filterQuery = new URLSearchParams(
      Object.entries({ from: input.from, to: input.to, sport: input.sport }).filter((entry): entry is [string, string] => !!entry[1]),
    );
    const pageLink = (page: number) => `${path}?${new URLSearchParams([...filterQuery, ['page', String(page)]])}`;
    res.render('runs/list', {
      title: data.view.isSelf ? 'My runs' : `${data.runner.name}: runs`,
      nav: data.view.isSelf ? 'me' : 'teams',
      ...data,
      units: viewer.units,
      sports: SPORTS,
      path,
      runnerPath: data.view.isSelf ? '/me' : `/runners/${runnerId}`,
      back: data.page > 1 ? pageLink(data.page) : `${path}${filterQuery.size ? `?${filterQuery}` : ''}`,
      previousPage: data.page > 1 ? pageLink(data.page - 1) : null,
      nextPage: data.page < data.pages ? pageLink(data.page + 1) : null,
      changed: typeof query.changed === 'string' ? Number(query.changed) || 0 : null,
      deleted: query.deleted === '1',
      nonePicked: query.error === 'none-picked',
    });
  }
}

/** The shoe select: "" is no shoe. */
function shoeIdOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
