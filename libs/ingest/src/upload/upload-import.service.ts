import type { IncomingMessage } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { invalid } from '@deload/domain';
import { FileImportOptions, FileImportService } from '../file-import.service';
import { DistanceUnit } from '../formats/garmin-connect-csv';
import { FileImportResult } from '../import-result';
import { receiveMultipartFiles } from './multipart-upload';
import { removeStaleUploadFolders } from './upload-folders';

const DISTANCE_UNITS: DistanceUnit[] = ['km', 'mi'];

/** The form's optional `units` field: the unit of a Garmin Connect CSV whose file leaves it open. */
function distanceUnitOf(fields: Record<string, string>): DistanceUnit | undefined {
  const units = fields.units?.trim();
  if (!units) return undefined;
  if (!DISTANCE_UNITS.includes(units as DistanceUnit)) {
    throw invalid(`the form field units must be km or mi (the unit of a Garmin Connect CSV's distances), not "${units.slice(0, 20)}"`);
  }
  return units as DistanceUnit;
}

/** Files one upload may carry (a Strava export is one zip). */
const MAX_FILES_PER_UPLOAD = 200;

/** Imports the files of a multipart upload for the signed-in runner (channel "upload"). */
@Injectable()
export class UploadImportService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UploadImportService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly files: FileImportService,
  ) {}

  /** An upload's temporary files outlive a crash: the next start removes them. */
  async onApplicationBootstrap(): Promise<void> {
    const removed = await removeStaleUploadFolders();
    if (removed.length) this.logger.log(`removed ${removed.length} upload folder(s) left by a crash: ${removed.join(', ')}`);
  }

  async importUpload(userId: string, request: IncomingMessage): Promise<FileImportResult[]> {
    const upload = await receiveMultipartFiles(request, { maxBytes: this.config.maxUploadBytes, maxFiles: MAX_FILES_PER_UPLOAD });
    try {
      const options: FileImportOptions = { distanceUnit: distanceUnitOf(upload.fields) };
      const results: FileImportResult[] = [];
      for (const file of upload.files) {
        results.push(await this.files.importFile(userId, file.path, { filename: file.filename, channel: 'upload' }, options));
      }
      return results;
    } finally {
      await upload.dispose();
    }
  }
}
