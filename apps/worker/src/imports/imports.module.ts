import { Module } from '@nestjs/common';
import { IngestModule } from '@deload/ingest';
import { FitIngestProcessor } from './fit-ingest.processor';

/** Uploads taken in by the api, decoded and stored here (the api never decodes). */
@Module({ imports: [IngestModule], providers: [FitIngestProcessor] })
export class ImportsWorkerModule {}
