import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@deload/config';
import { invalid } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { UploadsRepository } from '@deload/persistence';
import { DistanceUnit } from '../formats/garmin-connect-csv';
import { receiveMultipartFiles } from './multipart-upload';
import { removeStaleUploadFolders } from './upload-folders';
import { UploadView, uploadView } from './upload-results';

const DISTANCE_UNITS: DistanceUnit[] = ['km', 'mi'];

/** The form's optional `units` field: the unit of a Garmin Connect CSV whose file leaves it open. */
export function distanceUnitOf(fields: Record<string, string>): DistanceUnit | undefined {
  const units = fields.units?.trim();
  if (!units) return undefined;
  if (!DISTANCE_UNITS.includes(units as DistanceUnit)) {
    throw invalid(`the form field units must be km or mi (the unit of a Garmin Connect CSV's distances), not "${units.slice(0, 20)}"`);
  }
  return units as DistanceUnit;
}

/** Files one upload may carry (a Strava export is one zip). */
export const MAX_FILES_PER_UPLOAD = 200;
/** The pieces a file's bytes are stored in (rows of upload_chunks). */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** An upload taken in: the import to poll. */
export interface ReceivedImport {
  id: string;
  files: { filename: string; sizeBytes: number }[];
}

/**
 * The api's side of an upload: it streams the files of a multipart request to a temporary folder
 * (refusing what passes MAX_UPLOAD_MB at once), then stores them in PostgreSQL with an `uploads`
 * row and an `upload-received` event in one transaction, and removes the temporary files. The
 * worker imports them (UploadImporter); nothing here decodes. The runner polls `view`.
 */
@Injectable()
export class UploadReceiver implements OnApplicationBootstrap {
  private readonly logger = new Logger(UploadReceiver.name);

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uploads: UploadsRepository,
    private readonly events: DomainEvents,
  ) {}

  /** An upload's temporary files outlive a crash: the next start removes them. */
  async onApplicationBootstrap(): Promise<void> {
    const removed = await removeStaleUploadFolders();
    if (removed.length) this.logger.log(`removed ${removed.length} upload folder(s) left by a crash: ${removed.join(', ')}`);
  }

  async receive(userId: string, request: IncomingMessage): Promise<ReceivedImport> {
    const upload = await receiveMultipartFiles(request, { maxBytes: this.config.maxUploadBytes, maxFiles: MAX_FILES_PER_UPLOAD });
    try {
      const units = distanceUnitOf(upload.fields);
      const files = upload.files.map(({ filename, sizeBytes }) => ({ filename, sizeBytes }));
      const id = await this.dataSource.transaction(async (manager) => {
        const uploadId = await this.uploads.create(userId, files, units, manager);
        for (const [index, file] of upload.files.entries()) {
          let seq = 0;
          for await (const chunk of createReadStream(file.path, { highWaterMark: UPLOAD_CHUNK_BYTES })) {
            await this.uploads.appendChunk(uploadId, index, seq++, chunk as Buffer, manager);
          }
        }
        await this.events.record(manager, { type: 'upload-received', userId, uploadId });
        return uploadId;
      });
      return { id, files };
    } finally {
      await upload.dispose();
    }
  }

  /** The runner's own upload, as GET /api/imports/:id shows it; undefined for anyone else's or an unknown id. */
  async view(userId: string, id: string): Promise<UploadView | undefined> {
    const upload = await this.uploads.find(id, userId);
    return upload && uploadView(upload);
  }
}
