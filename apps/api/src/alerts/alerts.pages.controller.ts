import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { DomainError } from '@deload/domain';
import { AlertActions, AlertActionsResult } from '@deload/evaluation';
import type { UserEntity } from '@deload/persistence';

/** The forms on the runner page (views/partials/alert-actions.eta): each answers with the page again, at the alert. */
@ApiExcludeController()
@Controller('alerts/:id')
export class AlertsPagesController {
  constructor(private readonly actions: AlertActions) {}

  @Post('acknowledge')
  async acknowledge(
    @CurrentUser() user: UserEntity,
    @Param('id') alertId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    await this.answer(res, user, alertId, () => this.actions.acknowledge(user, alertId, { note: body.note }));
  }

  @Post('dismiss')
  async dismiss(
    @CurrentUser() user: UserEntity,
    @Param('id') alertId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    await this.answer(res, user, alertId, () => this.actions.dismiss(user, alertId, { reason: body.reason, note: body.note }));
  }

  @Post('withdraw')
  async withdraw(@CurrentUser() user: UserEntity, @Param('id') alertId: string, @Res() res: Response) {
    await this.answer(res, user, alertId, () => this.actions.withdraw(user, alertId));
  }

  private async answer(res: Response, user: UserEntity, alertId: string, act: () => Promise<AlertActionsResult>) {
    try {
      const { alert } = await act();
      res.redirect(303, `${runnerPage(user, alert.runnerId)}#alert-${alert.id}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      const alert = await this.actions.visibleAlert(user, alertId);
      res.status(400).render('message', {
        title: 'That did not work',
        tone: 'warning',
        paragraphs: [error.message],
        action: { href: `${runnerPage(user, alert.userId)}#alert-${alert.id}`, label: 'Back to the alert' },
      });
    }
  }
}

function runnerPage(viewer: UserEntity, runnerId: string): string {
  return runnerId === viewer.id ? '/me' : `/runners/${runnerId}`;
}
