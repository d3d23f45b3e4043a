import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { DomainError } from '@deload/domain';
import { hangUpAfterAnswer, UploadReceiver } from '@deload/ingest';
import type { UserEntity } from '@deload/persistence';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';

@ApiTags('runs')
@SignedInApi()
@Controller('api/runs')
export class RunFilesController {
  constructor(private readonly uploads: UploadReceiver) {}

  /**
   * POST /api/runs/files — multipart, any number of file fields (FIT, .fit.gz, GPX, TCX, zip, and
   * the exports of Strava, Garmin Connect, Apple Health and Polar Flow), told apart by content;
   * an optional `units` field (km or mi) for a Garmin Connect CSV whose unit cannot be worked out.
   * Stores the files and answers 202 with the import's id at once; the worker imports them and
   * GET /api/imports/:id shows progress, then per file and per activity imported / duplicate /
   * rejected with the reason. 400 for another `units` or a request without files, 413 past MAX_UPLOAD_MB.
   */
  @Post('files')
  @NeedsCsrf()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Upload activity files (FIT, .fit.gz, GPX, TCX, zip) or a whole export: Strava, Garmin Connect, Apple Health, Polar Flow',
    description:
      'Any number of file fields, told apart by their content. The files are stored and the answer (202) comes at once with the import’s `id`: poll `GET /api/imports/{id}` (its `Location`) for progress and, once `status` is `done` or `failed`, each file’s result. Each activity is imported in its own transaction: a rejected one leaves nothing behind. The same outing uploaded twice, or also synced from Strava or in another export, is one run. `units` (km or mi) says the unit of a Garmin Connect CSV when its distances leave it open.',
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
  @ApiAcceptedResponse({
    description:
      '`{ id, status: "queued", url, received }`: the import to poll at `url` (`/api/imports/{id}`, also the `Location` header); `received` lists each file (`filename`, `sizeBytes`)',
  })
  @ApiBadRequestResponse({ description: 'Not multipart, no files, too many files, or `units` other than km or mi; nothing is stored' })
  @ApiPayloadTooLargeResponse({ description: 'The upload is larger than MAX_UPLOAD_MB; it is refused without being read' })
  async upload(@CurrentUser() user: UserEntity, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    try {
      const { id, files } = await this.uploads.receive(user.id, request);
      const url = `/api/imports/${id}`;
      response.location(url);
      return { id, status: 'queued', url, received: files };
    } catch (error) {
      if (error instanceof DomainError) hangUpAfterAnswer(request, response);
      throw error;
    }
  }
}
