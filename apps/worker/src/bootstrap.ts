import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@deload/config';
import { QuietNestChatter, startupLogger } from '@deload/logging';
import { WorkerModule, WorkerOptions } from './worker.module';

/** Builds and starts the worker (no HTTP server). `env` overrides process.env (tests). */
export async function createWorkerApp(env?: Record<string, string>, options: WorkerOptions = {}): Promise<INestApplicationContext> {
  const startEnv = loadConfig({ ...process.env, ...env });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env, options), {
    logger: startupLogger(startEnv),
    abortOnError: false,
  });
  app.useLogger(new QuietNestChatter(app.get(Logger)));
  // On SIGTERM/SIGINT GracefulShutdown stops taking work and lets running jobs finish; then Nest closes the connections.
  app.enableShutdownHooks();
  await app.init();
  return app;
}
