import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { RunsList } from '@deload/dashboard';
import { RunEdits } from '@deload/ingest';
import type { RunListRow, UserEntity } from '@deload/persistence';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';
import { ApiBodyFrom, parseInput } from '../common/validation';
import { filterOf, runListQuerySchema, runPatchSchema, runsShoePatchSchema, SPORTS } from './runs.input';

/** Seconds per kilometre of moving time, or null. */
function paceSPerKm(run: Pick<RunListRow, 'movingS' | 'distanceM'>): number | null {
  return run.movingS && run.distanceM > 0 ? Math.round((run.movingS / run.distanceM) * 1000 * 10) / 10 : null;
}

function runView(run: RunListRow) {
  return { ...run, paceSPerKm: paceSPerKm(run) };
}

@ApiTags('runs')
@SignedInApi()
@Controller('api/runs')
export class RunsApiController {
  constructor(
    private readonly list: RunsList,
    private readonly edits: RunEdits,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Your runs (or, for a coach, a consenting runner’s), newest first, 50 a page',
    description: [
      'Every activity, running or not (`isRun` false for other sports and for those marked `notARun`). SI units: metres, seconds, steps/min.',
      '`localDate` is the date where it was run; `from`/`to` filter on it (inclusive). `sources` lists what reported the run (fit, strava, import); `summaryOnly` marks a run known only from a summary (no splits).',
      'A coach sees no Strava-sourced run, title, shoe or pain tag unless the operator enabled STRAVA_COACH_SHARING and the runner consented.',
    ].join(' '),
  })
  @ApiQuery({ name: 'runnerId', required: false, description: 'Whose runs (default: yours)' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD' })
  @ApiQuery({ name: 'sport', required: false, enum: SPORTS })
  @ApiQuery({ name: 'page', required: false, description: '1-based' })
  @ApiOkResponse({ description: '`{ runner, runs, total, page, pageSize, pages }`' })
  @ApiBadRequestResponse({ description: 'A filter is not valid; `message` names each problem' })
  async runs(@CurrentUser() user: UserEntity, @Query() query: unknown) {
    const input = parseInput(runListQuerySchema, query);
    const data = await this.list.page(user, input.runnerId ?? user.id, filterOf(input), input.page ?? 1);
    const { runner, runs, total, page, pageSize, pages } = data;
    return { runner, runs: runs.map(runView), total, page, pageSize, pages };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One run: its figures, splits, what the spike rule compared it with, and the alerts it took part in',
    description:
      '`previousLongestM` is the longest run of the 30 days before (`spikeRatio` = distance ÷ it). `alerts` are those whose facts name the run or whose window holds its date, with the facts the rule computed (withheld where they are Strava’s to keep from the viewer).',
  })
  @ApiOkResponse({ description: '`{ runner, run, spikeRatio, alerts }`' })
  async run(@CurrentUser() user: UserEntity, @Param('id') runId: string) {
    const { runner, run, spikeRatio, alerts } = await this.list.run(user, runId);
    return { runner, run: runView(run), spikeRatio, alerts: alerts.map(({ content: _content, ...alert }) => alert) };
  }

  @Delete(':id')
  @NeedsCsrf()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete one of your runs',
    description:
      'Removes the run, its records and its pain report, and evaluates your training again. A run synced from Strava does not come back with the next sync; uploading its file again brings it back.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: UserEntity, @Param('id') runId: string): Promise<void> {
    await this.edits.deleteRun(user.id, runId);
  }

  @Patch(':id')
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Mark one of your runs "not a run" (or a run again), or change its shoe',
    description: '`notARun: true` takes it out of your running load (reversible); `shoeId` is one of your shoes, or null for none.',
  })
  @ApiBodyFrom(runPatchSchema)
  @ApiOkResponse({ description: 'The run after the change' })
  @ApiBadRequestResponse({ description: 'The body is not valid, or the shoe is not yours; `message` says why' })
  async update(@CurrentUser() user: UserEntity, @Param('id') runId: string, @Body() body: unknown) {
    const patch = parseInput(runPatchSchema, body);
    if (patch.shoeId !== undefined) await this.edits.assignShoe(user.id, [runId], patch.shoeId);
    if (patch.notARun !== undefined) await this.edits.markNotARun(user.id, runId, patch.notARun);
    return runView((await this.list.run(user, runId)).run);
  }

  @Patch()
  @NeedsCsrf()
  @ApiOperation({ summary: 'Put many of your runs on one of your shoes (or on none)' })
  @ApiBodyFrom(runsShoePatchSchema)
  @ApiOkResponse({ description: '`{ changed }`: how many runs' })
  @ApiBadRequestResponse({ description: 'The body is not valid, or the shoe is not yours; `message` says why' })
  async assignShoe(@CurrentUser() user: UserEntity, @Body() body: unknown) {
    const { runIds, shoeId } = parseInput(runsShoePatchSchema, body);
    return { changed: await this.edits.assignShoe(user.id, runIds, shoeId) };
  }
}
