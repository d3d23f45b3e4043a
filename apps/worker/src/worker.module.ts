import { DynamicModule, Module, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { EvaluationModule } from '@deload/evaluation';
import { AuthModule } from '@deload/auth';
import { ConfigModule } from '@deload/config';
import { EventsModule } from '@deload/events';
import { ImportFolderModule } from '@deload/ingest';
import { LoggingModule } from '@deload/logging';
import { MailModule } from '@deload/mail';
import { NotifyModule } from '@deload/notify';
import { PersistenceModule } from '@deload/persistence';
import { ProcessorCoverageCheck, QueueModule } from '@deload/queue';
import { StravaModule } from '@deload/strava';
import { DailyEvaluationCron } from './cron/daily-evaluation.cron';
import { StravaCron } from './cron/strava.cron';
import { EvaluateDailyProcessor } from './processors/evaluate-daily.processor';
import { EvaluateProcessor } from './processors/evaluate.processor';
import { HousekeepingProcessor } from './processors/housekeeping.processor';
import { StravaBackfillProcessor } from './processors/strava-backfill.processor';
import { StravaEventProcessor } from './processors/strava-event.processor';
import { StravaGearProcessor } from './processors/strava-gear.processor';
import { StravaReconcileProcessor } from './processors/strava-reconcile.processor';
import { EmailCron } from './cron/email.cron';
import { GracefulShutdown } from './graceful-shutdown';
import { HousekeepingCron } from './cron/housekeeping.cron';
import { CoachDigestProcessor } from './processors/coach-digest.processor';
import { NotifyProcessor } from './processors/notify.processor';
import { PainCheckinProcessor } from './processors/pain-checkin.processor';
import { WeeklySummaryProcessor } from './processors/weekly-summary.processor';

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
        EvaluationModule,
        StravaModule,
        NotifyModule,
        ...(options.extraImports ?? []),
      ],
      providers: [
        GracefulShutdown,
        ProcessorCoverageCheck,
        EvaluateProcessor,
        EvaluateDailyProcessor,
        DailyEvaluationCron,
        StravaEventProcessor,
        StravaBackfillProcessor,
        StravaGearProcessor,
        StravaReconcileProcessor,
        StravaCron,
        NotifyProcessor,
        PainCheckinProcessor,
        WeeklySummaryProcessor,
        CoachDigestProcessor,
        EmailCron,
        HousekeepingProcessor,
        HousekeepingCron,
      ],
    };
  }
}
