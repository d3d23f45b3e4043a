import { stat } from 'node:fs/promises';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from '@deload/auth';
import { UsersService } from '@deload/users';
import { ConfigModule } from '@deload/config';
import { DomainError } from '@deload/domain';
import { countStatuses, FileImportResult, FileImportService, IngestModule } from '@deload/ingest';
import { PersistenceModule } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../cli-error';

@Module({ imports: [ConfigModule.forRoot(), PersistenceModule, QueueModule, AuthModule, IngestModule] })
class ImportCommandModule {}

function describeRuns(result: FileImportResult): string {
  const kept = result.runs.filter((run) => run.status !== 'duplicate');
  if (result.status === 'duplicate') return 'already stored';
  return kept
    .map(
      (run) =>
        `${run.sport} ${(run.distanceM / 1000).toFixed(2)} km on ${run.startUtc.toISOString().slice(0, 10)}${run.status === 'merged' ? ' (merged with the same outing)' : ''}`,
    )
    .join(', ');
}

/** One line per file (archive entries indented below it): status, name, what became of it. */
export function formatResult(result: FileImportResult, indent = ''): string[] {
  const detail =
    result.status === 'rejected' ? result.reason : result.entries ? `${result.entries.length} activities` : describeRuns(result);
  const line = `${indent}${result.status.padEnd(9)} ${result.filename} — ${detail}`;
  return [line, ...(result.entries ?? []).flatMap((entry) => formatResult(entry, `${indent}  `))];
}

async function checkPaths(paths: string[]): Promise<void> {
  for (const path of paths) {
    if (!(await stat(path).catch(() => undefined))) throw new CliError(`no such file or folder: ${path}`, EXIT_USAGE);
  }
}

/** Imports the paths for the runner with this email, printing a line per file and a total. */
export async function runImport(paths: string[], email: string): Promise<void> {
  await checkPaths(paths);
  const app = await NestFactory.createApplicationContext(ImportCommandModule, { logger: false, abortOnError: false });
  try {
    const users = app.get(UsersService);
    const existing = await users.byEmail(email).catch(rethrowAsUsage);
    const user = existing ?? (await users.findOrCreate(email));
    if (!existing) process.stderr.write(`deload: no user ${user.email} yet, created one\n`);
    const results = await app.get(FileImportService).importPaths(user.id, paths, 'cli');
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
