import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { RunnerOverview } from '@deload/dashboard';
import type { UserEntity } from '@deload/persistence';
import { SignedInApi } from '../common/api-docs';

@ApiTags('runners')
@SignedInApi()
@Controller('api/runners')
export class RunnersApiController {
  constructor(private readonly overview: RunnerOverview) {}

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
}
