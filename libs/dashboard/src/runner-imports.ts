import { Injectable } from '@nestjs/common';
import { RunnerAccess, Viewer } from '@deload/auth';
import type { ImportChannel, ImportFileEntity, ImportFileStatus } from '@deload/persistence';
import { importDisplayName } from './import-name';
import { RunnerRecords } from './runner-records';

/** Files per page of the runner page's imports table. */
export const IMPORTS_PAGE_SIZE = 10;

export interface ImportEntry {
  id: string;
  filename: string;
  status: ImportFileStatus;
  error: string | null;
  runsImported: number;
  channel: ImportChannel;
  createdAt: Date;
}

/** One page of a runner's imports, newest first; page 1 is the newest. */
export interface ImportsPage {
  page: number;
  pageSize: number;
  hasNewer: boolean;
  hasOlder: boolean;
  imports: ImportEntry[];
}

export function toImportEntry({ id, filename, status, error, runsImported, channel, createdAt }: ImportFileEntity): ImportEntry {
  return { id, filename: importDisplayName(filename), status, error, runsImported, channel, createdAt };
}

/** The files a runner imported, a page at a time, for the runner or a coach they accepted (RunnerAccess decides). */
@Injectable()
export class RunnerImports {
  constructor(
    private readonly access: RunnerAccess,
    private readonly records: RunnerRecords,
  ) {}

  async page(viewer: Viewer, runnerId: string, page = 1): Promise<ImportsPage> {
    await this.access.viewOf(viewer, runnerId);
    const rows = await this.records.importHistory(runnerId, IMPORTS_PAGE_SIZE + 1, (page - 1) * IMPORTS_PAGE_SIZE);
    return {
      page,
      pageSize: IMPORTS_PAGE_SIZE,
      hasNewer: page > 1,
      hasOlder: rows.length > IMPORTS_PAGE_SIZE,
      imports: rows.slice(0, IMPORTS_PAGE_SIZE).map(toImportEntry),
    };
  }
}
