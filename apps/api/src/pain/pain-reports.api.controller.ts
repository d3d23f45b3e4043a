import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { painReportInputSchema, PainReportsService } from '@deload/pain-reports';
import type { PainReportEntity, UserEntity } from '@deload/persistence';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';
import { ApiBodyFrom } from '../common/validation';

/** The JSON shape of a pain report. */
function toJson(report: PainReportEntity) {
  return {
    id: report.id,
    runId: report.runId,
    hasPain: report.hasPain,
    location: report.location,
    side: report.side,
    onsetM: report.onsetM,
    onsetS: report.onsetS,
    severity: report.severity,
    source: report.source,
    note: report.note,
    updatedAt: report.updatedAt,
  };
}

@ApiTags('runs')
@SignedInApi()
@Controller('api/runs/:id/pain')
export class PainReportsApiController {
  constructor(private readonly reports: PainReportsService) {}

  @Get()
  @ApiOperation({ summary: 'The pain report of one of your runs (`report: null` when there is none)' })
  @ApiOkResponse({ description: '`{ report }`: distances in metres, times in seconds' })
  async show(@CurrentUser() user: UserEntity, @Param('id') runId: string) {
    await this.reports.ownRun(user.id, runId);
    const report = await this.reports.forRun(user.id, runId);
    return { report: report ? toJson(report) : null };
  }

  @Post()
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Report how one of your runs felt; replaces the run’s report and re-evaluates your warning signs',
    description: 'Onset in metres (`onsetM`) and/or seconds (`onsetS`) from the start of the run; severity 0–10.',
  })
  @ApiBodyFrom(painReportInputSchema)
  @ApiOkResponse({ description: '`{ report }` as stored' })
  @ApiBadRequestResponse({ description: 'A value is not allowed; `message` names each problem' })
  async record(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Body() body: unknown) {
    return { report: toJson(await this.reports.record(user.id, runId, body, 'api')) };
  }
}
