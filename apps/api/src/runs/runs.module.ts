import { Module } from '@nestjs/common';
import { DashboardModule } from '@deload/dashboard';
import { IngestModule } from '@deload/ingest';
import { RunFilesController } from './run-files.controller';
import { RunsApiController } from './runs.api.controller';
import { RunsPagesController } from './runs.pages.controller';

/** Runs: files uploaded over HTTP (POST /api/runs/files), the runs list and a run's page with the runner's changes (/runs, /api/runs). */
@Module({ imports: [IngestModule, DashboardModule], controllers: [RunFilesController, RunsApiController, RunsPagesController] })
export class RunsHttpModule {}
