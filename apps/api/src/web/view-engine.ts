import type { NestExpressApplication } from '@nestjs/platform-express';
import { Eta } from 'eta';
import { dirname, join, relative } from 'node:path';
import { fmt } from './format';

export const VIEWS_DIR = join(__dirname, 'views');
export const PUBLIC_DIR = join(__dirname, 'public');
/** Chart.js's browser bundle, served by us (self-hosted, works offline): /assets/vendor/chartjs/chart.umd.min.js. */
const CHART_JS_DIR = dirname(require.resolve('chart.js'));

/**
 * Server-rendered pages with Eta (small, typed, auto-escaping `<%= %>`): controllers use
 * `@Render('name')` or `res.render('name', data)`; `res.locals` (currentUser, csrfToken) reach
 * every view, and `fmt` (web/format.ts) formats numbers and dates. Static files are served under /assets.
 */
export function configureWebViews(app: NestExpressApplication, options: { cacheTemplates: boolean; outboxInUse: boolean }): void {
  const { cacheTemplates } = options;
  const eta = new Eta({ views: VIEWS_DIR, cache: cacheTemplates, autoEscape: true });
  app.engine('eta', (path: string, data: object, done: (error: Error | null, html?: string) => void) => {
    try {
      done(null, eta.render(`./${relative(VIEWS_DIR, path).replace(/\.eta$/, '')}`, data));
    } catch (error) {
      done(error as Error);
    }
  });
  app.setLocal('fmt', fmt);
  // Without SMTP, emails are files in the outbox: the nav links them so people can find their emails.
  app.setLocal('outboxInUse', options.outboxInUse);
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('eta');
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/assets/', maxAge: cacheTemplates ? '1h' : 0 });
  app.useStaticAssets(CHART_JS_DIR, { prefix: '/assets/vendor/chartjs/', maxAge: cacheTemplates ? '1h' : 0 });
}
