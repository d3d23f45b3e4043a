import { Module } from '@nestjs/common';
import { UploadImportModule } from '@deload/ingest';
import { FitIngestProcessor } from './fit-ingest.processor';

/** Uploads taken in by the api, decoded and stored here (the api never decodes). */
@Module({ imports: [UploadImportModule], providers: [FitIngestProcessor] })
export class ImportsWorkerModule {}
