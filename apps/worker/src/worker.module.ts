import { DynamicModule, Module, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '@deload/auth';
import { ConfigModule } from '@deload/config';
import { EventsModule } from '@deload/events';
import { ImportFolderModule } from '@deload/ingest';
import { LoggingModule } from '@deload/logging';
import { MailModule } from '@deload/mail';
import { PersistenceModule } from '@deload/persistence';
import { ProcessorCoverageCheck, QueueModule } from '@deload/queue';
import { EmailWorkerModule } from './email/email.module';
import { EvaluationWorkerModule } from './evaluation/evaluation.module';
import { GracefulShutdown } from './graceful-shutdown';
import { HousekeepingWorkerModule } from './housekeeping/housekeeping.module';
import { ImportsWorkerModule } from './imports/imports.module';
import { StravaWorkerModule } from './strava/strava.module';

/** One module per area of the worker (apps/worker/src/<area>/<area>.module.ts): its processors, its cron and the libraries they call. */
const AREAS = [EvaluationWorkerModule, StravaWorkerModule, EmailWorkerModule, HousekeepingWorkerModule, ImportsWorkerModule];

/**
 * Queue processors and cron, no HTTP. Processors are thin: unpack the job, call a service in libs/.
 * Cron methods only enqueue, with fixed job ids, so several workers never double-schedule.
 */
export interface WorkerOptions {
  extraImports?: Type[];
  schedule?: boolean;
}

@Module({})
export class WorkerModule {
  /**
   * `env` overrides process.env (tests); without it the process environment is validated.
   * `extraImports`: modules of a caller that runs a worker in-process (`deload demo`, tests).
   * `schedule: false` leaves the cron jobs out (a short-lived in-process worker must not send
   * weekly emails or start daily fan-outs; the long-running worker does that).
   */
  static forRoot(env?: Record<string, string>, options: WorkerOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule,
        PersistenceModule,
        QueueModule,
        MailModule,
        AuthModule,
        ImportFolderModule,
        EventsModule,
        DiscoveryModule,
        ...(options.schedule === false ? [] : [ScheduleModule.forRoot()]),
        ...AREAS,
        ...(options.extraImports ?? []),
      ],
      providers: [GracefulShutdown, ProcessorCoverageCheck],
    };
  }
}
