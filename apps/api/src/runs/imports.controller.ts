import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { notFound } from '@deload/domain';
import { UploadReceiver } from '@deload/ingest';
import type { UserEntity } from '@deload/persistence';
import { SignedInApi } from '../common/api-docs';

@ApiTags('runs')
@SignedInApi()
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly uploads: UploadReceiver) {}

  /** GET /api/imports/:id — an upload's progress and, once imported, its per-file results; its uploader only. */
  @Get(':id')
  @ApiOperation({
    summary: 'An upload’s import: progress, then what became of each file',
    description:
      '`status` queued → decoding → done, or failed when every file was rejected (each file’s `reason` given) or the import could not be run (`message`). `progress` counts activities accounted for (`done` of `total`, the total growing as archives are listed). Once done or failed: `counts` and `files` as the upload page shows them. Poll every 100–200 ms at first, less often as it goes on. Only the runner who uploaded sees it.',
  })
  @ApiOkResponse({
    description:
      '`{ id, status, progress: { done, total }, received, counts?, files?, message? }`: per file `status` imported / duplicate / rejected (with `reason`), `warnings`, the runs it held (`runId`, `status`, `sport`, `isRun`, `startUtc`, `distanceM`), and an archive’s or export’s `entries`, each the same shape',
  })
  @ApiNotFoundResponse({ description: 'No such import of yours (the same answer for another runner’s)' })
  async view(@CurrentUser() user: UserEntity, @Param('id') id: string) {
    const view = await this.uploads.view(user.id, id);
    if (!view) throw notFound('no such import');
    return view;
  }
}
