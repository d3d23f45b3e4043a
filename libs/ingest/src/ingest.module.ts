import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { PainReportsModule } from '@deload/pain-reports';
import { ActivityDecoder } from './decode/activity-decoder';
import { FileImportService } from './file-import.service';
import { ExportImporter } from './import/export-importer';
import { ImportRecorder } from './import/import-recorder';
import { RunEdits } from './run-edits.service';
import { RunIngestService } from './run-ingest.service';

/**
 * Storing runs (the Strava sync through RunIngestService, the runner's edits through RunEdits).
 * No decoding here: the api imports this module and never decodes a file. Follow-ups go through
 * libs/events. Needs PersistenceModule and QueueModule.
 */
@Module({
  imports: [EventsModule, PainReportsModule],
  providers: [RunIngestService, RunEdits],
  exports: [RunIngestService, RunEdits],
})
export class IngestModule {}

/**
 * Importing files (FileImportService) with the decoder's threads (ActivityDecoder): for the
 * processes that decode — the worker (uploads, the import folder), the CLI (`deload import`,
 * `deload demo`) — never the api. Also gives what IngestModule gives.
 */
@Module({
  imports: [IngestModule],
  providers: [ImportRecorder, ExportImporter, FileImportService, ActivityDecoder],
  exports: [IngestModule, FileImportService, ActivityDecoder],
})
export class FileImportModule {}
