import { Module } from '@nestjs/common';
import { AuthModule } from '@deload/auth';
import { ImportFolderWatcher } from './import-folder.watcher';
import { IngestModule } from './ingest.module';

/** The watched import folder, for the worker (does nothing while IMPORT_DIR is unset). */
@Module({
  imports: [IngestModule, AuthModule],
  providers: [ImportFolderWatcher],
  exports: [ImportFolderWatcher],
})
export class ImportFolderModule {}
