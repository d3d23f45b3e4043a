import { Module } from '@nestjs/common';
import { IngestModule } from '@deload/ingest';
import { PainReportsModule } from '@deload/pain-reports';
import { PainReportsApiController } from './pain-reports.api.controller';
import { RunFilesController } from './run-files.controller';

/** The runs JSON API: file uploads and pain reports. */
@Module({ imports: [IngestModule, PainReportsModule], controllers: [RunFilesController, PainReportsApiController] })
export class RunsModule {}
