import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '@deload/auth';
import { PainHttpModule } from '../pain/pain.module';
import { RunnersHttpModule } from '../runners/runners.module';
import { RunsHttpModule } from '../runs/runs.module';
import { SettingsHttpModule } from '../settings/settings.module';
import { ShoesHttpModule } from '../shoes/shoes.module';
import { SignInHttpModule } from '../sign-in/sign-in.module';
import { TeamsHttpModule } from '../teams/teams.module';

/** The areas that serve the JSON API under /api; their page controllers carry `@ApiExcludeController()`. */
const JSON_API_AREAS = [RunsHttpModule, PainHttpModule, SignInHttpModule, TeamsHttpModule, RunnersHttpModule, SettingsHttpModule, ShoesHttpModule];

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
  const document = SwaggerModule.createDocument(app, config, { include: JSON_API_AREAS });
  SwaggerModule.setup('api/docs', app, document, { customSiteTitle: 'Deload API', jsonDocumentUrl: 'api/docs-json' });
}
