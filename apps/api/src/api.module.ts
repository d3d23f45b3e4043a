import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthApiModule } from '@deload/auth';
import { ConfigModule } from '@deload/config';
import { LoggingModule } from '@deload/logging';
import { MailModule } from '@deload/mail';
import { PersistenceModule } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { ErrorFilter } from './common/error.filter';
import { DashboardWebModule } from './dashboard/dashboard.modules';
import { HealthModule } from './health/health.module';
import { NotifyWebModule } from './notify/notify-web.module';
import { RunsModule } from './runs/runs.module';
import { StravaHttpModule } from './strava/strava-http.module';

@Module({})
export class ApiModule {
  /**
   * `env` overrides process.env (tests); without it the process environment is validated.
   * `extraImports` lets a test mount a module of its own next to the real ones.
   */
  static forRoot(env?: Record<string, string>, extraImports: Type[] = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggingModule,
        PersistenceModule,
        QueueModule,
        MailModule,
        AuthApiModule,
        HealthModule,
        DashboardWebModule,
        RunsModule,
        StravaHttpModule,
        NotifyWebModule,
        ...extraImports,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
