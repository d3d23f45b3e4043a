import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { IMPORTS_PAGE_SIZE, RunnerImports, RunnerOverview } from '@deload/dashboard';
import type { UserEntity } from '@deload/persistence';
import { SignedInApi } from '../common/api-docs';
import { importsPageOf } from './imports-page';

@ApiTags('runners')
@SignedInApi()
@Controller('api/runners')
export class RunnersApiController {
  constructor(
    private readonly overview: RunnerOverview,
    private readonly imports: RunnerImports,
  ) {}

  @Get(':runnerId/overview')
  @ApiOperation({
    summary: 'Everything the runner page charts',
    description: [
      'For the runner, or a coach of a team the runner accepted (without Strava-sourced data unless the operator enabled STRAVA_COACH_SHARING and the runner consented to it).',
      'Distances in metres, dates YYYY-MM-DD in the runner’s time zone: `summary` (last 7 days, 4-week mean, change, biggest recent run, ACWR), `attention`, `weekly` (26 weeks with the alerts that began in each),',
      '`runRatios` (each run ÷ longest of the 30 days before) with `spikeThresholds`, `acwr` (daily, context only) with `acwrBand`, `pain` (onset per report), `shoes` (distance, limit, state), `alerts` (with the message that was emailed, the acknowledgement or dismissal in force as `response`, and `actions`: who acknowledged or dismissed it, when, why, with their note), `thisWeek` (the open alert whose suggestions lead, as an email would choose it, and the other open signs; dismissed ones left out) and `imports`.',
    ].join(' '),
  })
  @ApiOkResponse({ description: 'The runner overview' })
  async runnerOverview(@CurrentUser() user: UserEntity, @Param('runnerId') runnerId: string) {
    return this.overview.forViewer(user, runnerId);
  }

  @Get(':runnerId/imports')
  @ApiOperation({
    summary: 'The files the runner imported, newest first, a page at a time',
    description: `${IMPORTS_PAGE_SIZE} files a page (the overview's \`imports\` is page 1): each with its name, result (imported, duplicate or rejected, with the reason), the runs it brought and when. \`hasOlder\` says whether page + 1 has any.`,
  })
  @ApiQuery({ name: 'page', required: false, description: '1 (the newest) when absent', example: 2 })
  @ApiOkResponse({
    description: '`{ page, pageSize, hasNewer, hasOlder, imports: [{ id, filename, status, error, runsImported, channel, createdAt }] }`',
  })
  @ApiBadRequestResponse({ description: '`page` is not a whole number from 1' })
  async runnerImports(@CurrentUser() user: UserEntity, @Param('runnerId') runnerId: string, @Query() query: unknown) {
    return this.imports.page(user, runnerId, importsPageOf(query, 'page'));
  }
}
