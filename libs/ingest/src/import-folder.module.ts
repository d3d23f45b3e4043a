import { Module } from '@nestjs/common';
import { AuthModule } from '@deload/auth';
import { ImportFolderWatcher } from './import-folder.watcher';
import { FileImportModule } from './ingest.module';

/** The watched import folder, for the worker (does nothing while IMPORT_DIR is unset). */
@Module({
  imports: [FileImportModule, AuthModule],
  providers: [ImportFolderWatcher],
  exports: [ImportFolderWatcher],
})
export class ImportFolderModule {}
