import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { UploadReceiver } from './upload/upload-receiver.service';

/**
 * Taking uploads in over HTTP and showing their progress (the api): no decoder here — the worker's
 * `fit-ingest` job imports them (IngestModule's UploadImporter). Needs PersistenceModule and QueueModule.
 */
@Module({ imports: [EventsModule], providers: [UploadReceiver], exports: [UploadReceiver] })
export class UploadsModule {}
