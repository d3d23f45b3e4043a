import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { AppConfig } from '@deload/config';
import { LifecycleLogger } from './lifecycle-logger';
import { REDACTED_PATHS } from './redaction';

/**
 * Where log lines go: JSON on stdout, written synchronously so the last lines before a shutdown
 * or a crash are not lost; pretty-printed only for a developer at a terminal (pino-pretty is a
 * dev dependency).
 */
function logDestination(config: AppConfig): DestinationStream {
  if (config.env.NODE_ENV === 'development' && process.stdout.isTTY) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ singleLine: true, sync: true });
  }
  return pino.destination({ dest: 1, sync: true });
}

/** Structured JSON logs (pino) with secrets redacted, for every app. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: [
          {
            level: config.env.LOG_LEVEL,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            // Request URLs can carry one-time tokens in the query string: log the path only.
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
            },
            autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
          },
          logDestination(config),
        ],
      }),
    }),
  ],
  providers: [LifecycleLogger],
})
export class LoggingModule {}
