import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '@deload/auth';
import { RunsModule } from '../runs/runs.module';
import { DashboardApiModule } from './dashboard.modules';

/** OpenAPI for the JSON API: the document at /api/docs-json, Swagger UI (served from node_modules) at /api/docs. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Deload API')
    .setDescription(
      'The JSON API behind the Deload dashboard. Sign in with a magic link (POST /api/login, then open the emailed link); requests carry the `deload_session` cookie, and writes also the `x-csrf-token` header. A runner reaches their own data; a coach reaches runners who accepted their team’s invite. Deload suggests; it does not diagnose.',
    )
    .setVersion('1')
    .addCookieAuth(SESSION_COOKIE)
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: [DashboardApiModule, RunsModule] });
  SwaggerModule.setup('api/docs', app, document, { customSiteTitle: 'Deload API', jsonDocumentUrl: 'api/docs-json' });
}
