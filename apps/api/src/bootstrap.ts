import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { AppConfig, loadConfig } from '@deload/config';
import { QuietNestChatter, startupLogger } from '@deload/logging';
import { ApiModule } from './api.module';
import { applyHttpHardening } from './common/http-hardening';
import { setupOpenApi } from './openapi/openapi';
import { mountStravaWebhookIntake } from './strava/strava-webhook-intake';
import { configureWebViews } from './web/view-engine';

/** Builds the HTTP app. `env` overrides process.env (tests); without it the process environment is used. */
export async function createApiApp(env?: Record<string, string>, extraImports: Type[] = []): Promise<NestExpressApplication> {
  const startEnv = loadConfig({ ...process.env, ...env });
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(env, extraImports), {
    logger: startupLogger(startEnv),
    abortOnError: false,
    // applyHttpHardening registers the body parsers, with limits and clean errors.
    bodyParser: false,
  });
  const config = app.get(AppConfig);
  app.useLogger(new QuietNestChatter(app.get(Logger)));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  // Before every middleware: Strava's event POSTs take the lean path (thousands a second).
  mountStravaWebhookIntake(app);
  applyHttpHardening(app, config);
  app.use(cookieParser());
  configureWebViews(app, { cacheTemplates: config.isProduction, outboxInUse: !config.env.SMTP_URL });
  setupOpenApi(app);
  return app;
}
