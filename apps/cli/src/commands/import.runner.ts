// Decorator metadata for Nest/TypeORM: loaded here, not in main.ts, so --help and replay start without it.
import 'reflect-metadata';
import { stat } from 'node:fs/promises';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from '@deload/auth';
import { UsersService } from '@deload/users';
import { ConfigModule } from '@deload/config';
import { DomainError } from '@deload/domain';
import { countStatuses, FileImportModule, FileImportService } from '@deload/ingest';
import { PersistenceModule } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../cli-error';
import { CLI_LOGGER } from '../cli-logger';
import type { ImportCommandOptions } from './import.command';
import { progressDisplay } from './import.progress';
import { formatResult } from './import.summary';

@Module({ imports: [ConfigModule.forRoot(), PersistenceModule, QueueModule, AuthModule, FileImportModule] })
class ImportCommandModule {}

async function checkPaths(paths: string[]): Promise<void> {
  for (const path of paths) {
    if (!(await stat(path).catch(() => undefined))) throw new CliError(`no such file or folder: ${path}`, EXIT_USAGE);
  }
}

/** Imports the paths for the runner with this email, showing progress on stderr, then a line per file and a total. */
export async function runImport(paths: string[], options: ImportCommandOptions): Promise<void> {
  const email = options.user;
  await checkPaths(paths);
  const app = await NestFactory.createApplicationContext(ImportCommandModule, { logger: CLI_LOGGER, abortOnError: false });
  try {
    const users = app.get(UsersService);
    const existing = await users.byEmail(email).catch(rethrowAsUsage);
    const user = existing ?? (await users.findOrCreate(email));
    if (!existing) process.stderr.write(`deload: no user ${user.email} yet, created one\n`);
    const progress = progressDisplay(process.stderr);
    const results = await app
      .get(FileImportService)
      .importPaths(user.id, paths, 'cli', { onProgress: (step) => progress.update(step), distanceUnit: options.units })
      .finally(() => progress.finish());
    for (const line of results.flatMap((result) => formatResult(result))) process.stdout.write(`${line}\n`);
    const counts = countStatuses(results);
    process.stdout.write(`${counts.imported} imported, ${counts.duplicate} duplicate, ${counts.rejected} rejected\n`);
    if (counts.rejected > 0) process.exitCode = EXIT_FAILED;
  } finally {
    await app.close();
  }
}

function rethrowAsUsage(error: unknown): never {
  if (error instanceof DomainError) throw new CliError(error.message, EXIT_USAGE);
  throw error;
}
