import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { FileImportModule } from './ingest.module';
import { UploadImporter } from './upload/upload-importer.service';
import { UploadReceiver } from './upload/upload-receiver.service';

/**
 * Taking uploads in over HTTP and showing their progress (the api): no decoder here — the worker's
 * `fit-ingest` job imports them (UploadImportModule). Needs PersistenceModule and QueueModule.
 */
@Module({ imports: [EventsModule], providers: [UploadReceiver], exports: [UploadReceiver] })
export class UploadsModule {}

/**
 * Importing uploads (the worker's `fit-ingest` job): UploadImporter with FileImportService and the
 * decoder's threads, started ahead of the first upload. Only the worker imports this.
 */
@Module({ imports: [FileImportModule], providers: [UploadImporter], exports: [UploadImporter] })
export class UploadImportModule {}
