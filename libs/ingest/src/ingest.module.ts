import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { PainReportsModule } from '@deload/pain-reports';
import { ActivityDecoder } from './decode/activity-decoder';
import { FileImportService } from './file-import.service';
import { ExportImporter } from './import/export-importer';
import { ImportRecorder } from './import/import-recorder';
import { RunEdits } from './run-edits.service';
import { RunIngestService } from './run-ingest.service';

/** Storing runs (from files, and from the Strava sync through RunIngestService). Follow-ups go through libs/events. Needs PersistenceModule and QueueModule. */
@Module({
  imports: [EventsModule, PainReportsModule],
  providers: [RunIngestService, RunEdits, ImportRecorder, ExportImporter, FileImportService, ActivityDecoder],
  exports: [RunIngestService, RunEdits, FileImportService, ActivityDecoder],
})
export class IngestModule {}
