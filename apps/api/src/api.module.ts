import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthApiModule } from '@deload/auth';
import { ConfigModule } from '@deload/config';
import { LoggingModule } from '@deload/logging';
import { MailModule } from '@deload/mail';
import { PersistenceModule } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { AccountHttpModule } from './account/account.module';
import { ErrorFilter } from './common/error.filter';
import { EmailHttpModule } from './email/email.module';
import { HealthHttpModule } from './health/health.module';
import { OutboxHttpModule } from './outbox/outbox.module';
import { PainHttpModule } from './pain/pain.module';
import { RunnersHttpModule } from './runners/runners.module';
import { RunsHttpModule } from './runs/runs.module';
import { SettingsHttpModule } from './settings/settings.module';
import { ShoesHttpModule } from './shoes/shoes.module';
import { SignInHttpModule } from './sign-in/sign-in.module';
import { StravaHttpModule } from './strava/strava.module';
import { TeamsHttpModule } from './teams/teams.module';

/**
 * One module per area of the api (apps/api/src/<area>/<area>.module.ts): its controllers and the
 * libraries they call. No two routes overlap, so the order only sets the order of /api/docs.
 */
const AREAS = [
  HealthHttpModule,
  RunsHttpModule,
  PainHttpModule,
  SignInHttpModule,
  TeamsHttpModule,
  RunnersHttpModule,
  SettingsHttpModule,
  ShoesHttpModule,
  AccountHttpModule,
  StravaHttpModule,
  EmailHttpModule,
  OutboxHttpModule,
];

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
        ...AREAS,
        ...extraImports,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
