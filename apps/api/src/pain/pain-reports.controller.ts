import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { DomainError } from '@deload/domain';
import { describeRun, PainFormFields, painFormToInput, painFormView, PainReportsService } from '@deload/pain-reports';
import type { UserEntity } from '@deload/persistence';

/** A runner reports pain for one of their own runs on a page with the form (the JSON API is in runs/). */
@ApiExcludeController()
@Controller()
export class PainReportsController {
  constructor(private readonly reports: PainReportsService) {}

  @Get('runs/:id/pain')
  async page(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Query('saved') saved: string | undefined, @Res() res: Response) {
    const run = await this.reports.ownRun(user.id, runId);
    this.render(res, user, run, await this.reports.forRun(user.id, runId), { saved: saved === '1' });
  }

  @Post('runs/:id/pain')
  async submit(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Body() body: PainFormFields, @Res() res: Response) {
    const run = await this.reports.ownRun(user.id, runId);
    try {
      await this.reports.record(user.id, runId, painFormToInput(body, user.units), 'web');
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      res.status(400);
      return this.render(res, user, run, body, { error: error.message });
    }
    res.redirect(303, `/runs/${run.id}/pain?saved=1`);
  }

  private render(
    res: Response,
    user: UserEntity,
    run: { id: string; distanceM: number; startUtc: Date; utcOffsetS: number },
    shown: Parameters<typeof painFormView>[0],
    notice: { saved?: boolean; error?: string },
  ) {
    res.render('pain/report', {
      title: 'How did your run feel?',
      runLabel: describeRun(run, user.units),
      form: { action: `/runs/${run.id}/pain`, ...painFormView(shown, user.units) },
      ...notice,
    });
  }
}
