import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@deload/config';
import { DevelopmentKeyWarning } from './development-key-warning';
import { LifecycleLogger } from './lifecycle-logger';
import { chooseLogFormat, logDestination } from './log-format';
import { pinoOptions } from './pino-options';

/** pino logs with secrets redacted, for every app: concise lines at a terminal, JSON elsewhere (LOG_FORMAT). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: [
          {
            ...pinoOptions(config.env.LOG_LEVEL),
            // Request URLs can carry one-time tokens in the query string: log the path only.
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
            },
            autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
          },
          logDestination(chooseLogFormat(config.env.LOG_FORMAT)),
        ],
      }),
    }),
  ],
  providers: [LifecycleLogger, DevelopmentKeyWarning],
})
export class LoggingModule {}
