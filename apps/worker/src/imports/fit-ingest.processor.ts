import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { UploadImporter, UploadImportOutcome } from '@deload/ingest';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

/** An upload's files, stored by the api: decode and store them (libs/ingest UploadImporter). */
@QueueProcessor('fit-ingest')
export class FitIngestProcessor extends WorkerHost {
  constructor(private readonly importer: UploadImporter) {
    super();
  }

  async process(job: Job<QueuePayloads['fit-ingest']>): Promise<UploadImportOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.importer.importUpload(job.data.uploadId, { lastAttempt });
  }
}
