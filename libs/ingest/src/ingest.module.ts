import { Module } from '@nestjs/common';
import { AlertsModule } from '@deload/alerts';
import { PainReportsModule } from '@deload/pain-reports';
import { ActivityDecoder } from './decode/activity-decoder';
import { FileImportService } from './file-import.service';
import { RunIngestService } from './run-ingest.service';
import { UploadImportService } from './upload/upload-import.service';

/** Storing runs (from files, and from the Strava sync through RunIngestService). Needs PersistenceModule and QueueModule. */
@Module({
  imports: [AlertsModule, PainReportsModule],
  providers: [RunIngestService, FileImportService, UploadImportService, ActivityDecoder],
  exports: [RunIngestService, FileImportService, UploadImportService, ActivityDecoder],
})
export class IngestModule {}
