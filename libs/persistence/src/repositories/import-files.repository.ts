import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ImportFileEntity, ImportFileStatus } from '../entities/import-file.entity';
import { TableRepository } from './table-repository';

/** import_files: every file a runner imported (or tried to), with what came of it. */
@Injectable()
export class ImportFilesRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Stores the record of one file; returns it with its id. */
  async record(file: Omit<ImportFileEntity, 'id' | 'createdAt'>, tx?: EntityManager): Promise<ImportFileEntity> {
    const files = this.db(tx).getRepository(ImportFileEntity);
    return files.save(files.create(file));
  }

  async setOutcome(id: string, status: ImportFileStatus, runsImported: number, tx?: EntityManager): Promise<void> {
    await this.db(tx).update(ImportFileEntity, { id }, { status, runsImported });
  }

  /** The runner's latest imports, newest first, after skipping the `skip` newest (paging). */
  async latestOf(userId: string, limit: number, skip = 0): Promise<ImportFileEntity[]> {
    return this.db().find(ImportFileEntity, { where: { userId }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip });
  }

  async moveToUser(sourceId: string, targetId: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(`UPDATE import_files SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
  }
}
