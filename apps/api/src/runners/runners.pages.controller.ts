import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { isCoachRole, isPlaceholderEmail } from '@deload/domain';
import { RunnerImports, RunnerOverview, RunnerOverviewData } from '@deload/dashboard';
import { OutboxView } from '@deload/notify';
import { describeRun, painFormView } from '@deload/pain-reports';
import type { UserEntity } from '@deload/persistence';
import { importsPageOf } from './imports-page';

const CHART_SCRIPTS = ['/assets/vendor/chartjs/chart.umd.min.js', '/assets/charts.js'];

/** The runner page: a runner's own (/me) or, for their coach, /runners/:id. */
@ApiExcludeController()
@Controller()
export class RunnersPagesController {
  constructor(
    private readonly overview: RunnerOverview,
    private readonly imports: RunnerImports,
    private readonly outbox: OutboxView,
    private readonly config: AppConfig,
  ) {}

  @Get('me')
  async me(@CurrentUser() user: UserEntity, @Query() query: unknown, @Res() res: Response) {
    await this.render(res, user, user.id, importsPageOf(query, 'importsPage'));
  }

  @Get('runners/:runnerId')
  async runner(@CurrentUser() user: UserEntity, @Param('runnerId') runnerId: string, @Query() query: unknown, @Res() res: Response) {
    await this.render(res, user, runnerId, importsPageOf(query, 'importsPage'));
  }

  private async render(res: Response, viewer: UserEntity, runnerId: string, importsPage: number) {
    const data = await this.overview.forViewer(viewer, runnerId);
    const imports = await this.imports.page(viewer, runnerId, importsPage);
    const isSelf = data.view.isSelf;
    res.render('runner', {
      title: isSelf ? 'My training' : data.runner.name,
      nav: isSelf ? 'me' : 'teams',
      ...data,
      imports: imports.imports,
      importsPage: imports,
      units: viewer.units,
      timezone: data.runner.timezone,
      scripts: isSelf ? [...CHART_SCRIPTS, '/assets/upload.js'] : CHART_SCRIPTS,
      maxUploadMb: this.config.env.MAX_UPLOAD_MB,
      stravaEnabled: !!(this.config.env.STRAVA_CLIENT_ID && this.config.env.STRAVA_CLIENT_SECRET),
      needsEmail: isSelf && isPlaceholderEmail(viewer.email),
      coachesTeam: isCoachRole(viewer.role),
      painForm: isSelf ? this.painForm(data, viewer) : null,
      outboxFiles: isSelf ? await this.outboxFiles(viewer) : {},
    });
  }

  /** "How did it feel?" for the newest run, filled in when the runner already answered. */
  private painForm(data: RunnerOverviewData, viewer: UserEntity) {
    const run = data.latestRun;
    if (!run) return null;
    return {
      runLabel: describeRun(run, viewer.units),
      answered: !!run.painReport,
      form: { action: `/runs/${run.id}/pain`, idPrefix: 'latest-pain', submitLabel: 'Save', ...painFormView(run.painReport, viewer.units) },
    };
  }

  /** Alert emails written to the outbox (no SMTP server), by Message-ID, so the page can open them. */
  private async outboxFiles(viewer: UserEntity): Promise<Record<string, string>> {
    if (!this.outbox.active) return {};
    return Object.fromEntries((await this.outbox.own(viewer)).map((entry) => [entry.messageId, entry.file]));
  }
}
