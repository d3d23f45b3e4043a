import { Module } from '@nestjs/common';
import { DashboardModule } from '@deload/dashboard';
import { IngestModule, UploadsModule } from '@deload/ingest';
import { ImportsController } from './imports.controller';
import { RunFilesController } from './run-files.controller';
import { RunsApiController } from './runs.api.controller';
import { RunsPagesController } from './runs.pages.controller';

/** Runs: files uploaded over HTTP (POST /api/runs/files, imported by the worker; GET /api/imports/:id), the runs list and a run's page with the runner's changes (/runs, /api/runs). */
@Module({
  imports: [IngestModule, UploadsModule, DashboardModule],
  controllers: [RunFilesController, ImportsController, RunsApiController, RunsPagesController],
})
export class RunsHttpModule {}
