import { Module } from '@nestjs/common';
import { IngestModule } from '@deload/ingest';
import { RunFilesController } from './run-files.controller';

/** Run files uploaded over HTTP (POST /api/runs/files). */
@Module({ imports: [IngestModule], controllers: [RunFilesController] })
export class RunsHttpModule {}
