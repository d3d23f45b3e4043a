import { EmailChanges, MagicLinks, SingleUseTokens } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import { EmailLinks } from '../../libs/notify/src';
import { PainCheckins } from '../../libs/pain-reports/src';
import { StravaAccountMerge } from '../../libs/strava/src';
import { TeamsService } from '../../libs/teams/src';
import { DataSource } from 'typeorm';
import { AlertsRepository, UploadsRepository } from '../../libs/persistence/src';
import { gpxTrack } from '../support/archives';
import { uniqueEmail } from '../support/sessions';
import { Stack } from '../support/stack';
import { TrainingData } from '../support/training-data';
import { send, SecurityRequest, SecurityResponse, servedRoutes } from './support/http';
import { buildSecurityWorld, Persona, PERSONAS, SecurityWorld, startSecurityApp, stravaOnlyAccount } from './support/security-world';

/**
 * allow — served (2xx/3xx, not sent to sign in); deny — 403 or 404 (the same for "not yours" and
 * "no such thing"); signin — 401, or a page that sends the browser to /login; refused — a 4xx
 * because the request lacks its proof (a signed link, OAuth state, a verify token); reachable —
 * no sign-in needed, never a 5xx (what it answers depends on the body, e.g. webhooks); absent —
 * 404 for everyone (a route a library registers for a file it does not ship).
 */
type Expectation = 'allow' | 'deny' | 'signin' | 'refused' | 'reachable' | 'absent';
type Who = Record<Persona, Expectation>;

interface Context {
  security: Stack;
  world: SecurityWorld;
}

interface RouteRule {
  who: Who;
  request(context: Context, persona: Persona): SecurityRequest | Promise<SecurityRequest>;
  /** Who may find the runner's data (their email, the marker) in the answer. Default: the runner and the coach they accepted. */
  shows?: Persona[];
  /** What "allow" looks like when it is not the usual 2xx/3xx (signing out ends on the sign-in page). */
  allowed?: (response: SecurityResponse) => boolean;
}

const everyone = (expectation: Expectation): Who => Object.fromEntries(PERSONAS.map((persona) => [persona, expectation])) as Who;
const signedIn = (): Who => ({ ...everyone('allow'), anonymous: 'signin' });
const only = (...allowed: Persona[]): Who => ({
  ...everyone('deny'),
  anonymous: 'signin',
  ...Object.fromEntries(allowed.map((persona) => [persona, 'allow'])),
});
const TOKEN_HOLDERS: Persona[] = [...PERSONAS];

const path = (absolute: string) => absolute.replace(/^https?:\/\/[^/]+/, '');
const runnerId = ({ world }: Context) => world.users.runner.user.id;

/** A team none of the cast coaches, for invite answers (a coach cannot answer their own team's invite). */
async function openTeamCode({ security }: Context): Promise<string> {
  const coach = await security.api.get(UsersService).findOrCreate(uniqueEmail('open-coach'), { role: 'coach' });
  return (await security.api.get(TeamsService).create(coach, 'Open team')).inviteCode;
}

async function emailChangePath({ security, world }: Context): Promise<string> {
  const claim = { userId: world.users.runner.user.id, from: world.users.runner.user.email, to: uniqueEmail('changed') };
  return path(security.api.get(EmailChanges).confirmUrl(security.api.get(SingleUseTokens).issue('email-change', claim, 3600)));
}

/** The magic link page sets a cookie its form must send back: a browser that opened the link. */
async function magicLinkConfirmation({ security, world }: Context): Promise<SecurityRequest> {
  const link = security.api.get(MagicLinks).linkFor(world.users.runner.user.email, '/me');
  const page = await fetch(`${security.url}${path(link)}`);
  const html = await page.text();
  const cookie = page.headers
    .getSetCookie()
    .find((line) => line.startsWith('deload_login='))!
    .split(';')[0];
  return {
    method: 'POST',
    path: '/login/verify',
    page: true,
    headers: { cookie },
    form: { token: html.match(/name="token" value="([^"]+)"/)![1], nonce: html.match(/name="nonce" value="([^"]+)"/)![1] },
  };
}

/** A fresh open alert of the runner for each request (acting on it changes it), acknowledged when `answered`. */
async function runnerAlertId({ security, world }: Context, answered = false): Promise<string> {
  const alert = await new TrainingData(security.api).alert(world.users.runner.user.id, { rule: 'weekly-increase', severity: 'caution' });
  if (answered)
    await security.api.get(AlertsRepository).setResponse(alert.id, { kind: 'acknowledged', at: new Date(), severity: 'caution' });
  return alert.id;
}

/** An upload of the runner's, as the api stores it before the worker imports it (no worker runs here). */
async function runnerUploadId({ security, world }: Context): Promise<string> {
  const uploads = security.api.get(UploadsRepository);
  return security.api
    .get(DataSource)
    .transaction((manager) => uploads.create(world.users.runner.user.id, [{ filename: 'morning.gpx', sizeBytes: 1 }], undefined, manager));
}

function uploadForm(): FormData {
  const form = new FormData();
  form.append('files', new Blob([gpxTrack(new Date(Date.now() - 3 * 86_400_000), 50)]), 'morning.gpx');
  return form;
}

/**
 * Every route the api serves, keyed as Express registers it. A route missing here fails the suite:
 * adding one means deciding who may use it.
 */
const MATRIX: Record<string, RouteRule> = {
  'GET /health': { who: everyone('allow'), request: () => ({ method: 'GET', path: '/health' }) },
  'GET /': { who: signedIn(), request: () => ({ method: 'GET', path: '/', page: true }) },
  'GET /login': { who: everyone('allow'), request: () => ({ method: 'GET', path: '/login?next=/teams', page: true }) },
  'POST /login': {
    who: everyone('allow'),
    request: () => ({ method: 'POST', path: '/login', page: true, form: { email: uniqueEmail('login') } }),
  },
  'POST /api/login': {
    who: everyone('allow'),
    request: () => ({ method: 'POST', path: '/api/login', json: { email: uniqueEmail('login') } }),
  },
  'GET /login/verify': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'GET',
      path: path(security.api.get(MagicLinks).linkFor(world.users.runner.user.email)),
      page: true,
    }),
  },
  'POST /login/verify': { who: everyone('allow'), shows: TOKEN_HOLDERS, request: magicLinkConfirmation },
  'POST /logout': {
    who: signedIn(),
    allowed: (response) => response.status === 303 && response.location === '/login',
    request: () => ({ method: 'POST', path: '/logout', page: true, form: {} }),
  },

  'GET /api/me': { who: signedIn(), request: () => ({ method: 'GET', path: '/api/me' }) },
  'POST /api/me/email': {
    who: signedIn(),
    request: () => ({ method: 'POST', path: '/api/me/email', json: { email: uniqueEmail('new') } }),
  },
  'GET /settings/email': { who: signedIn(), request: () => ({ method: 'GET', path: '/settings/email', page: true }) },
  'POST /settings/email': {
    who: signedIn(),
    request: () => ({ method: 'POST', path: '/settings/email', page: true, form: { email: uniqueEmail('new') } }),
  },
  'GET /email/confirm': {
    who: only('runner'),
    request: async (context) => ({ method: 'GET', path: await emailChangePath(context), page: true }),
  },
  'POST /email/confirm': {
    who: only('runner'),
    request: async (context) => ({
      method: 'POST',
      path: '/email/confirm',
      page: true,
      form: { t: new URLSearchParams((await emailChangePath(context)).split('?')[1]).get('t')! },
    }),
  },
  'POST /account/merge': {
    who: only('runner'),
    request: async ({ security, world }) => {
      const source = await stravaOnlyAccount(security.api);
      const { token } = await security.api.get(StravaAccountMerge).offer(source.userId, world.users.runner.user.id);
      return { method: 'POST', path: '/account/merge', page: true, form: { t: token } };
    },
  },

  'GET /auth/strava': { who: everyone('allow'), request: () => ({ method: 'GET', path: '/auth/strava?next=/me', page: true }) },
  'GET /auth/strava/callback': {
    who: everyone('refused'),
    request: () => ({ method: 'GET', path: '/auth/strava/callback?code=stolen&scope=read,activity:read_all,profile:read_all', page: true }),
  },
  'POST /auth/strava/disconnect': { who: signedIn(), request: () => ({ method: 'POST', path: '/auth/strava/disconnect', json: {} }) },
  'GET /webhooks/strava': {
    who: everyone('refused'),
    request: () => ({ method: 'GET', path: '/webhooks/strava?hub.mode=subscribe&hub.challenge=x&hub.verify_token=guessed' }),
  },
  'POST /webhooks/strava': {
    who: everyone('reachable'),
    request: () => ({ method: 'POST', path: '/webhooks/strava', json: { object_type: 'activity', aspect_type: 'create' } }),
  },

  'GET /me': { who: signedIn(), request: () => ({ method: 'GET', path: '/me', page: true }) },
  'GET /runners/:runnerId': {
    who: only('runner', 'consentingCoach'),
    request: (context) => ({ method: 'GET', path: `/runners/${runnerId(context)}`, page: true }),
  },
  'GET /api/runners/:runnerId/overview': {
    who: only('runner', 'consentingCoach'),
    request: (context) => ({ method: 'GET', path: `/api/runners/${runnerId(context)}/overview` }),
  },
  // Acting on an alert: whoever may see the runner (the runner, the coach of a team they accepted).
  'POST /api/alerts/:id/acknowledge': {
    who: only('runner', 'consentingCoach'),
    request: async (context) => ({ method: 'POST', path: `/api/alerts/${await runnerAlertId(context)}/acknowledge`, json: {} }),
  },
  'POST /api/alerts/:id/dismiss': {
    who: only('runner', 'consentingCoach'),
    request: async (context) => ({
      method: 'POST',
      path: `/api/alerts/${await runnerAlertId(context)}/dismiss`,
      json: { reason: 'seeing-physio', note: 'Physio on Thursday' },
    }),
  },
  'DELETE /api/alerts/:id/response': {
    who: only('runner', 'consentingCoach'),
    request: async (context) => ({ method: 'DELETE', path: `/api/alerts/${await runnerAlertId(context, true)}/response` }),
  },
  'POST /alerts/:id/acknowledge': {
    who: only('runner', 'consentingCoach'),
    request: async (context) => ({
      method: 'POST',
      path: `/alerts/${await runnerAlertId(context)}/acknowledge`,
      page: true,
      form: { note: '' },
    }),
  },
  'POST /alerts/:id/dismiss': {
    who: only('runner', 'consentingCoach'),
    request: async (context) => ({
      method: 'POST',
      path: `/alerts/${await runnerAlertId(context)}/dismiss`,
      page: true,
      form: { reason: 'planned-race', note: '' },
    }),
  },
  'POST /alerts/:id/withdraw': {
    who: only('runner', 'consentingCoach'),
    request: async (context) => ({ method: 'POST', path: `/alerts/${await runnerAlertId(context, true)}/withdraw`, page: true, form: {} }),
  },
  'GET /api/runners/:runnerId/imports': {
    who: only('runner', 'consentingCoach'),
    request: (context) => ({ method: 'GET', path: `/api/runners/${runnerId(context)}/imports?page=1` }),
  },
  'GET /runs/:id/pain': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'GET', path: `/runs/${world.runner.run.id}/pain`, page: true }),
  },
  'POST /runs/:id/pain': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/runs/${world.runner.run.id}/pain`, page: true, form: { hasPain: 'no' } }),
  },
  'GET /api/runs/:id/pain': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'GET', path: `/api/runs/${world.runner.run.id}/pain` }),
  },
  'POST /api/runs/:id/pain': {
    who: only('runner'),
    request: ({ world }) => ({
      method: 'POST',
      path: `/api/runs/${world.runner.run.id}/pain`,
      json: { hasPain: true, location: 'knee', onsetM: 4000 },
    }),
  },
  'POST /api/runs/files': { who: signedIn(), request: () => ({ method: 'POST', path: '/api/runs/files', multipart: uploadForm() }) },
  'GET /api/imports/:id': {
    who: only('runner'),
    request: async (context) => ({ method: 'GET', path: `/api/imports/${await runnerUploadId(context)}` }),
  },
  'GET /runs': { who: signedIn(), request: () => ({ method: 'GET', path: '/runs', page: true }) },
  'GET /runners/:runnerId/runs': {
    who: only('runner', 'consentingCoach'),
    request: (context) => ({ method: 'GET', path: `/runners/${runnerId(context)}/runs`, page: true }),
  },
  'GET /runs/:id': {
    who: only('runner', 'consentingCoach'),
    request: ({ world }) => ({ method: 'GET', path: `/runs/${world.runner.run.id}`, page: true }),
  },
  'POST /runs/shoe': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: '/runs/shoe', page: true, form: { runIds: world.runner.run.id, shoeId: '' } }),
  },
  'POST /runs/:id/shoe': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/runs/${world.runner.run.id}/shoe`, page: true, form: { shoeId: '' } }),
  },
  'POST /runs/:id/not-a-run': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/runs/${world.runner.run.id}/not-a-run`, page: true, form: { notARun: 'true' } }),
  },
  'POST /runs/:id/delete': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/runs/${world.runner.run.id}/delete`, page: true, form: { confirm: 'yes' } }),
  },
  'GET /api/runs': {
    who: only('runner', 'consentingCoach'),
    request: (context) => ({ method: 'GET', path: `/api/runs?runnerId=${runnerId(context)}` }),
  },
  'GET /api/runs/:id': {
    who: only('runner', 'consentingCoach'),
    request: ({ world }) => ({ method: 'GET', path: `/api/runs/${world.runner.run.id}` }),
  },
  'DELETE /api/runs/:id': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'DELETE', path: `/api/runs/${world.runner.run.id}` }),
  },
  'PATCH /api/runs/:id': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'PATCH', path: `/api/runs/${world.runner.run.id}`, json: { notARun: true } }),
  },
  'PATCH /api/runs': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'PATCH', path: '/api/runs', json: { runIds: [world.runner.run.id], shoeId: world.runner.shoe.id } }),
  },

  'GET /pain/checkin': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'GET',
      path: `/pain/checkin?t=${encodeURIComponent(security.api.get(PainCheckins).issueToken(world.runner.run))}&answer=other`,
      page: true,
    }),
  },
  'POST /pain/checkin': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'POST',
      path: '/pain/checkin',
      page: true,
      form: { t: security.api.get(PainCheckins).issueToken(world.runner.run), purpose: 'checkin', hasPain: 'no' },
    }),
  },
  'GET /email/unsubscribe': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'GET',
      path: path(security.api.get(EmailLinks).unsubscribeUrl(world.users.runner.user.id, 'alerts')),
      page: true,
    }),
  },
  'POST /email/unsubscribe': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'POST',
      path: path(security.api.get(EmailLinks).unsubscribeUrl(world.users.runner.user.id, 'alerts')),
      page: true,
      form: {},
    }),
  },
  'GET /email/preferences': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'GET',
      path: path(security.api.get(EmailLinks).preferencesUrl(world.users.runner.user.id)),
      page: true,
    }),
  },
  'POST /email/preferences': {
    who: everyone('allow'),
    shows: TOKEN_HOLDERS,
    request: ({ security, world }) => ({
      method: 'POST',
      path: path(security.api.get(EmailLinks).preferencesUrl(world.users.runner.user.id)),
      page: true,
      form: { alerts: 'all' },
    }),
  },

  'GET /outbox': { who: signedIn(), shows: ['runner', 'admin'], request: () => ({ method: 'GET', path: '/outbox', page: true }) },
  'GET /outbox/:file': {
    who: only('runner', 'admin'),
    shows: ['runner', 'admin'],
    request: ({ world }) => ({ method: 'GET', path: `/outbox/${world.runner.outboxFile}`, page: true }),
  },
  'GET /outbox/:file/html': {
    who: only('runner', 'admin'),
    shows: ['runner', 'admin'],
    request: ({ world }) => ({ method: 'GET', path: `/outbox/${world.runner.outboxFile}/html`, page: true }),
  },

  'GET /settings': { who: signedIn(), request: () => ({ method: 'GET', path: '/settings', page: true }) },
  'POST /settings': {
    who: signedIn(),
    request: () => ({
      method: 'POST',
      path: '/settings',
      page: true,
      form: { displayName: 'Renamed', units: 'mi', timezone: 'Europe/Oslo', painCheckin: 'auto' },
    }),
  },
  'POST /settings/thresholds': {
    who: signedIn(),
    request: () => ({ method: 'POST', path: '/settings/thresholds', page: true, form: { 'weekly-increase.enabled': 'true' } }),
  },
  'POST /settings/thresholds/reset': {
    who: signedIn(),
    request: () => ({ method: 'POST', path: '/settings/thresholds/reset', page: true, form: {} }),
  },
  'POST /settings/strava/disconnect': {
    who: signedIn(),
    request: () => ({ method: 'POST', path: '/settings/strava/disconnect', page: true, form: {} }),
  },
  'GET /api/settings': { who: signedIn(), request: () => ({ method: 'GET', path: '/api/settings' }) },
  'PATCH /api/settings': { who: signedIn(), request: () => ({ method: 'PATCH', path: '/api/settings', json: { units: 'mi' } }) },

  // Shoes: a runner changes only their own; a coach of a team the runner accepted reads them (`runnerId`).
  'GET /api/shoes': {
    who: only('runner', 'consentingCoach'),
    request: (context) => ({ method: 'GET', path: `/api/shoes?runnerId=${runnerId(context)}` }),
  },
  'POST /api/shoes': { who: signedIn(), request: () => ({ method: 'POST', path: '/api/shoes', json: { name: 'New pair' } }) },
  'PATCH /api/shoes/:shoeId': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'PATCH', path: `/api/shoes/${world.runner.shoe.id}`, json: { retired: true } }),
  },
  'POST /api/shoes/:shoeId/retire': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/api/shoes/${world.runner.shoe.id}/retire`, json: {} }),
  },
  'POST /api/shoes/:shoeId/unretire': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/api/shoes/${world.runner.shoe.id}/unretire`, json: {} }),
  },
  'GET /shoes': { who: signedIn(), request: () => ({ method: 'GET', path: '/shoes', page: true }) },
  'POST /shoes': { who: signedIn(), request: () => ({ method: 'POST', path: '/shoes', page: true, form: { name: 'New pair' } }) },
  'POST /shoes/:shoeId': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/shoes/${world.runner.shoe.id}`, page: true, form: { name: 'Renamed pair' } }),
  },
  'POST /shoes/:shoeId/retire': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/shoes/${world.runner.shoe.id}/retire`, page: true, form: { retired: 'true' } }),
  },

  'GET /teams': { who: signedIn(), request: () => ({ method: 'GET', path: '/teams', page: true }) },
  'POST /teams': { who: signedIn(), request: () => ({ method: 'POST', path: '/teams', page: true, form: { name: 'New team' } }) },
  'GET /api/teams': { who: signedIn(), request: () => ({ method: 'GET', path: '/api/teams' }) },
  'POST /api/teams': { who: signedIn(), request: () => ({ method: 'POST', path: '/api/teams', json: { name: 'New team' } }) },
  'GET /teams/:teamId': {
    who: only('consentingCoach'),
    request: ({ world }) => ({ method: 'GET', path: `/teams/${world.teams.consenting.id}`, page: true }),
  },
  'GET /api/teams/:teamId': {
    who: only('consentingCoach'),
    request: ({ world }) => ({ method: 'GET', path: `/api/teams/${world.teams.consenting.id}` }),
  },
  'POST /teams/:teamId/invite': {
    who: only('consentingCoach'),
    request: ({ world }) => ({ method: 'POST', path: `/teams/${world.teams.consenting.id}/invite`, page: true, form: {} }),
  },
  'POST /api/teams/:teamId/invite': {
    who: only('consentingCoach'),
    request: ({ world }) => ({ method: 'POST', path: `/api/teams/${world.teams.consenting.id}/invite`, json: {} }),
  },
  'POST /teams/:teamId/leave': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/teams/${world.teams.consenting.id}/leave`, page: true, form: {} }),
  },
  'POST /api/teams/:teamId/leave': {
    who: only('runner'),
    request: ({ world }) => ({ method: 'POST', path: `/api/teams/${world.teams.consenting.id}/leave`, json: {} }),
  },
  'GET /join/:code': {
    who: everyone('allow'),
    request: async (context) => ({ method: 'GET', path: `/join/${await openTeamCode(context)}`, page: true }),
  },
  'POST /join/:code/accept': {
    who: signedIn(),
    request: async (context) => ({ method: 'POST', path: `/join/${await openTeamCode(context)}/accept`, page: true, form: {} }),
  },
  'POST /join/:code/decline': {
    who: signedIn(),
    request: async (context) => ({ method: 'POST', path: `/join/${await openTeamCode(context)}/decline`, page: true, form: {} }),
  },
  'GET /api/invites/:code': {
    who: signedIn(),
    request: async (context) => ({ method: 'GET', path: `/api/invites/${await openTeamCode(context)}` }),
  },
  'POST /api/invites/:code/accept': {
    who: signedIn(),
    request: async (context) => ({ method: 'POST', path: `/api/invites/${await openTeamCode(context)}/accept`, json: {} }),
  },
  'POST /api/invites/:code/decline': {
    who: signedIn(),
    request: async (context) => ({ method: 'POST', path: `/api/invites/${await openTeamCode(context)}/decline`, json: {} }),
  },

  // The API's documentation (Swagger UI and the OpenAPI document): public, and holds no one's data.
  ...Object.fromEntries(
    [
      '/api/docs',
      '/api/docs/',
      '/api/docs/index.html',
      '/api/docs/swagger-ui-init.js',
      '/api/docs/docs/swagger-ui-init.js',
      '/api/docs-json',
      '/api/docs-yaml',
    ].map((docsPath) => [`GET ${docsPath}`, { who: everyone('allow'), request: () => ({ method: 'GET', path: docsPath }) } as RouteRule]),
  ),
  // Registered by @nestjs/swagger for a file swagger-ui-dist does not ship.
  'GET /api/docs/LICENSE': { who: everyone('absent'), request: () => ({ method: 'GET', path: '/api/docs/LICENSE' }) },
};

function meets(expectation: Expectation, response: SecurityResponse, rule: RouteRule): boolean {
  const toSignIn = response.status === 303 && (response.location ?? '').startsWith('/login');
  switch (expectation) {
    case 'allow':
      return rule.allowed ? rule.allowed(response) : response.status >= 200 && response.status < 400 && !toSignIn;
    case 'absent':
      return response.status === 404;
    case 'deny':
      return response.status === 403 || response.status === 404;
    case 'signin':
      return response.status === 401 || toSignIn;
    case 'refused':
      return response.status >= 400 && response.status < 500 && response.status !== 401;
    case 'reachable':
      return response.status < 500 && response.status !== 401 && !toSignIn;
  }
}

jest.setTimeout(180_000);

describe('the authorisation matrix: every route the api serves, as every kind of user', () => {
  let security: Stack;

  beforeAll(async () => {
    security = await startSecurityApp();
  });
  afterAll(() => security?.stop());

  it('covers every route the router serves, and no route that is gone', () => {
    const served = servedRoutes(security.api);
    expect(served.length).toBeGreaterThan(60);
    const missing = served.filter((route) => !(route in MATRIX));
    const stale = Object.keys(MATRIX).filter((route) => !served.includes(route));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it.each(Object.keys(MATRIX))('%s', async (route) => {
    const rule = MATRIX[route];
    const world = await buildSecurityWorld(security.api);
    const context = { security, world };
    const shows = rule.shows ?? ['runner', 'consentingCoach'];
    const results: { persona: Persona; expected: Expectation; status: number; location: string | null; leaked: boolean }[] = [];
    // Refusals first: a route that changes state (leave, disconnect) is used by the allowed last.
    const order = [...PERSONAS].sort((a, b) => Number(rule.who[a] === 'allow') - Number(rule.who[b] === 'allow'));
    for (const persona of order) {
      const request = await rule.request(context, persona);
      const response = await send(security.url, persona === 'anonymous' ? undefined : world.users[persona], request);
      const leaked =
        !shows.includes(persona) && (response.body.includes(world.marker) || response.body.includes(world.users.runner.user.email));
      results.push({ persona, expected: rule.who[persona], status: response.status, location: response.location, leaked });
    }
    const wrong = results.filter(
      (result) => !meets(result.expected, { status: result.status, location: result.location } as SecurityResponse, rule),
    );
    const leaks = results.filter((result) => result.leaked);
    expect({ wrong, leaks }).toEqual({ wrong: [], leaks: [] });
  });

  it('shows a coach whose invite the runner declined their own team without the runner', async () => {
    const world = await buildSecurityWorld(security.api);
    for (const teamPath of [`/teams/${world.teams.withoutConsent.id}`, `/api/teams/${world.teams.withoutConsent.id}`]) {
      const response = await send(security.url, world.users.coachWithoutConsent, {
        method: 'GET',
        path: teamPath,
        page: teamPath.startsWith('/teams'),
      });
      expect(response.status).toBe(200);
      expect(response.body).not.toContain(world.marker);
      expect(response.body).not.toContain(world.users.runner.user.id);
    }
  });
});
