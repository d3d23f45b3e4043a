import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { FileImportService } from '../file-import.service';
import { FileImportResult } from '../import-result';
import { receiveMultipartFiles } from './multipart-upload';

/** Files one upload may carry (a Strava export is one zip). */
const MAX_FILES_PER_UPLOAD = 200;

/** Imports the files of a multipart upload for the signed-in runner (channel "upload"). */
@Injectable()
export class UploadImportService {
  constructor(
    private readonly config: AppConfig,
    private readonly files: FileImportService,
  ) {}

  async importUpload(userId: string, request: IncomingMessage): Promise<FileImportResult[]> {
    const upload = await receiveMultipartFiles(request, { maxBytes: this.config.maxUploadBytes, maxFiles: MAX_FILES_PER_UPLOAD });
    try {
      const results: FileImportResult[] = [];
      for (const file of upload.files) {
        results.push(await this.files.importFile(userId, file.path, { filename: file.filename, channel: 'upload' }));
      }
      return results;
    } finally {
      await upload.dispose();
    }
  }
}
