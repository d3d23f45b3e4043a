import { Controller, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { DomainError } from '@deload/domain';
import { countStatuses, FileImportResult, hangUpAfterAnswer, UploadImportService } from '@deload/ingest';
import type { UserEntity } from '@deload/persistence';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';

function publicResult(result: FileImportResult): Record<string, unknown> {
  return {
    filename: result.filename,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    runs: result.runs.map(({ runId, status, sport, isRun, startUtc, distanceM }) => ({ runId, status, sport, isRun, startUtc, distanceM })),
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    ...(result.entries ? { entries: result.entries.map(publicResult) } : {}),
  };
}

@ApiTags('runs')
@SignedInApi()
@Controller('api/runs')
export class RunFilesController {
  constructor(private readonly uploads: UploadImportService) {}

  /**
   * POST /api/runs/files — multipart, any number of file fields (FIT, .fit.gz, GPX, TCX, zip, and
   * the exports of Strava, Garmin Connect, Apple Health and Polar Flow), told apart by content;
   * an optional `units` field (km or mi) for a Garmin Connect CSV whose unit cannot be worked out.
   * Answers per file and per activity: imported / duplicate / rejected with the reason, with
   * warnings; 422 when every file was rejected, 400 for another `units`, 413 past MAX_UPLOAD_MB.
   */
  @Post('files')
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Upload activity files (FIT, .fit.gz, GPX, TCX, zip) or a whole export: Strava, Garmin Connect, Apple Health, Polar Flow',
    description:
      'Any number of file fields, told apart by their content. Each activity is imported in its own transaction: a rejected one leaves nothing behind. The same outing uploaded twice, or also synced from Strava or in another export, is one run. `units` (km or mi) says the unit of a Garmin Connect CSV when its distances leave it open.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
        units: { type: 'string', enum: ['km', 'mi'], description: "a Garmin Connect CSV's distance unit, when the file leaves it open" },
      },
    },
  })
  @ApiOkResponse({
    description:
      "`{ counts, files }`: per file `status` imported / duplicate / rejected (with `reason`), `warnings` when figures were left out, the runs it held (`runId`, `status`, `sport`, `isRun`, `startUtc`, `distanceM`), and an archive's or export's `entries`, each the same shape",
  })
  @ApiUnprocessableEntityResponse({ description: 'Every file was rejected; the body still gives each file’s reason' })
  @ApiPayloadTooLargeResponse({ description: 'The upload is larger than MAX_UPLOAD_MB; it is refused without being read' })
  async upload(@CurrentUser() user: UserEntity, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    let results: FileImportResult[];
    try {
      results = await this.uploads.importUpload(user.id, request);
    } catch (error) {
      if (error instanceof DomainError) hangUpAfterAnswer(request, response);
      throw error;
    }
    const counts = countStatuses(results);
    const allRejected = results.every((result) => result.status === 'rejected');
    response.status(allRejected ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.OK);
    const message = allRejected ? "no file could be imported: see each file's reason" : undefined;
    return { ...(message ? { statusCode: HttpStatus.UNPROCESSABLE_ENTITY, message } : {}), counts, files: results.map(publicResult) };
  }
}
