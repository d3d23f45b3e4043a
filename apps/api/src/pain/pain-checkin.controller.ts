import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@deload/auth';
import { DomainError } from '@deload/domain';
import {
  ADJUST_PURPOSE,
  CHECKIN_PURPOSE,
  CheckinContext,
  describeReport,
  PainCheckins,
  PainFormFields,
  painFormToInput,
  painFormView,
} from '@deload/pain-reports';

type CheckinForm = PainFormFields & { t?: string; purpose?: string };

/**
 * Landing pages of the "how did it feel?" email. The links carry their own signed, single-use token
 * (no sign-in needed): one click records the answer, then a form lets the runner add where it hurt
 * and how much (with a fresh single-use token).
 */
@ApiExcludeController()
@Controller('pain/checkin')
export class PainCheckinController {
  constructor(private readonly checkins: PainCheckins) {}

  @Public()
  @Get()
  async answer(@Query('t') token: string, @Query('answer') answer: string, @Req() req: Request, @Res() res: Response) {
    // Link checkers in mail systems often send HEAD first: it must never use up the link.
    if (req.method === 'HEAD') return res.status(200).end();
    try {
      const { context, answer: chosen, adjustToken } = await this.checkins.answer(token, answer);
      const recorded = chosen.kind === 'other' ? null : describeReport(context.report!, context.user.units);
      this.render(res, context, { token: adjustToken, purpose: recorded ? 'adjust' : 'checkin', recorded });
    } catch (error) {
      this.renderLinkProblem(res, error, token);
    }
  }

  @Public()
  @Post()
  @HttpCode(200)
  async submit(@Body() body: CheckinForm, @Res() res: Response) {
    const purpose = body.purpose === 'adjust' ? ADJUST_PURPOSE : CHECKIN_PURPOSE;
    let context: CheckinContext;
    try {
      context = await this.checkins.peek(purpose, String(body.t ?? ''));
    } catch (error) {
      return this.renderLinkProblem(res, error, body.t);
    }
    try {
      const saved = await this.checkins.submit(purpose, String(body.t), painFormToInput(body, context.user.units));
      this.render(res, saved.context, {
        token: saved.adjustToken,
        purpose: 'adjust',
        recorded: describeReport(saved.context.report!, context.user.units),
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid' || error.details?.reason === 'used')
        return this.renderLinkProblem(res, error, body.t);
      res.status(400);
      this.render(
        res,
        context,
        { token: String(body.t), purpose: body.purpose === 'adjust' ? 'adjust' : 'checkin', recorded: null, error: error.message },
        body,
      );
    }
  }

  private render(
    res: Response,
    context: CheckinContext,
    state: { token: string; purpose: 'checkin' | 'adjust'; recorded: string | null; error?: string },
    typed?: PainFormFields,
  ) {
    res.render('pain/checkin', {
      title: 'How did your run feel?',
      runLabel: context.runLabel,
      recorded: state.recorded,
      error: state.error,
      form: {
        action: '/pain/checkin',
        hidden: { t: state.token, purpose: state.purpose },
        submitLabel: state.recorded ? 'Save the details' : 'Save',
        ...painFormView(typed ?? context.report ?? { hasPain: true }, context.user.units),
      },
    });
  }

  /** An expired, used or damaged link: say so, and point to where the run can still be edited. */
  private renderLinkProblem(res: Response, error: unknown, token: string | undefined) {
    if (!(error instanceof DomainError)) throw error;
    const runId = this.checkins.runIdOf(token);
    res.status(error.kind === 'not_found' ? 404 : 400).render('message', {
      title: error.details?.reason === 'used' ? 'You already answered' : 'This link no longer works',
      paragraphs: [
        error.details?.reason === 'used' ? 'This check-in link has been used already, so your answer is saved.' : error.message,
        'You can still record or change how the run felt on Deload.',
      ],
      tone: 'caution',
      action: { href: runId ? `/runs/${runId}/pain` : '/me', label: runId ? 'Open this run' : 'Open my training' },
    });
  }
}
