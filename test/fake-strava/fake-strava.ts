import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  athleteJson,
  detailedActivityJson,
  detailedGearJson,
  FakeActivity,
  FakeAthleteProfile,
  FakeGear,
  streamsJson,
  summaryActivityJson,
} from './fake-data';

/** Strava's documented defaults: overall 200 / 15 min and 2,000 / day; reads 100 and 1,000. */
export interface FakeLimits {
  short: number;
  daily: number;
  readShort: number;
  readDaily: number;
}

export interface FakeStravaOptions {
  clientId?: string;
  clientSecret?: string;
  limits?: Partial<FakeLimits>;
  /** Window lengths (default 15 min and a day, aligned like Strava's). */
  windows?: { shortMs: number; dailyMs: number };
  /** Seconds an access token lives (Strava: 6 h). */
  accessTokenTtlS?: number;
  /** Epoch ms now (default the wall clock): a simulation runs the fake on its own clock. */
  clock?: () => number;
  /** Told of every request (endpoint name, `clock()` at arrival), for figures per window. */
  onRequest?: (endpoint: string, at: number) => void;
}

export interface FakeAthlete {
  profile: FakeAthleteProfile;
  activities: Map<number, FakeActivity>;
  gear: Map<string, FakeGear>;
}

/** What the athlete does on the authorize page. */
export interface AuthorizeDecision {
  athleteId: number;
  /** Scopes ticked; default: everything asked for. */
  grant?: string[];
  deny?: boolean;
}

export interface WebhookEvent {
  object_type: 'activity' | 'athlete';
  object_id: number;
  aspect_type: 'create' | 'update' | 'delete';
  updates: Record<string, string>;
  owner_id: number;
  subscription_id: number;
  event_time: number;
}

interface AccessToken {
  athleteId: number;
  expiresAt: number;
}

const UNAUTHORIZED = { message: 'Authorization Error', errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }] };
const RATE_LIMITED = { message: 'Rate Limit Exceeded', errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }] };

function notFound(resource: string) {
  return { message: 'Record Not Found', errors: [{ resource, field: 'id', code: 'invalid' }] };
}

/**
 * A fake Strava for tests, on a real HTTP server (port 0): OAuth authorize / token / deauthorize
 * with refresh-token rotation, the API endpoints Deload uses, push subscriptions with the
 * challenge handshake, all four rate-limit headers on every API response, configurable limits
 * (429 when spent), a request counter per endpoint, and a driver that posts webhook events.
 */
export class FakeStrava {
  readonly clientId: string;
  clientSecret: string;
  readonly limits: FakeLimits;
  readonly windows: { shortMs: number; dailyMs: number };
  accessTokenTtlS: number;
  readonly clock: () => number;
  private readonly onRequest?: (endpoint: string, at: number) => void;
  readonly athletes = new Map<number, FakeAthlete>();
  /** Requests per endpoint, e.g. "GET /activities/{id}". */
  readonly requests = new Map<string, number>();
  /** API requests refused with 429. */
  refused = 0;
  /** Webhook deliveries: status code and milliseconds to answer. */
  readonly deliveries: { status: number; ms: number }[] = [];
  subscription?: { id: number; callback_url: string; verify_token: string };

  private server?: Server;
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, number>();
  private readonly codes = new Map<string, { athleteId: number; scopes: string[] }>();
  private readonly usage = new Map<string, number>();
  private nextDecision?: AuthorizeDecision;
  private exhaustNextWindow = false;
  private readonly failures = new Map<string, number>();
  /** Random start: fakes of test files running side by side never hand out the same activity id. */
  private nextId = 9_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

  constructor(options: FakeStravaOptions = {}) {
    this.clientId = options.clientId ?? '4242';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.limits = { short: 200, daily: 2000, readShort: 100, readDaily: 1000, ...options.limits };
    this.windows = options.windows ?? { shortMs: 15 * 60_000, dailyMs: 24 * 3600_000 };
    this.accessTokenTtlS = options.accessTokenTtlS ?? 6 * 3600;
    this.clock = options.clock ?? (() => Date.now());
    this.onRequest = options.onRequest;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error) => this.send(response, 500, { message: String(error) }));
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  get oauthUrl(): string {
    return `${this.url}/oauth`;
  }

  /** Environment for Deload pointing at this fake. */
  env(verifyToken = 'fake-verify-token'): Record<string, string> {
    return {
      STRAVA_CLIENT_ID: this.clientId,
      STRAVA_CLIENT_SECRET: this.clientSecret,
      STRAVA_WEBHOOK_VERIFY_TOKEN: verifyToken,
      STRAVA_API_URL: this.apiUrl,
      STRAVA_OAUTH_URL: this.oauthUrl,
    };
  }

  // ── driver: athletes, activities, gear ─────────────────────────────────────────────

  addAthlete(profile: Partial<FakeAthleteProfile> & { id: number }): FakeAthlete {
    const athlete: FakeAthlete = {
      profile: { firstname: 'Ingrid', lastname: 'Runner', measurement_preference: 'meters', ...profile },
      activities: new Map(),
      gear: new Map(),
    };
    this.athletes.set(profile.id, athlete);
    return athlete;
  }

  addGear(athleteId: number, gear: FakeGear): FakeGear {
    this.athlete(athleteId).gear.set(gear.id, gear);
    return gear;
  }

  /** Adds an activity (without a webhook); fields not given get plausible run values. */
  addActivity(athleteId: number, fields: Partial<FakeActivity> = {}): FakeActivity {
    const distance = fields.distance ?? 10_000;
    const activity: FakeActivity = {
      id: this.nextId++,
      name: 'Morning Run',
      sport_type: 'Run',
      start_date: new Date(this.clock() - 86_400_000).toISOString(),
      zone: 'Europe/Oslo',
      utc_offset: 3600,
      distance,
      moving_time: Math.round(distance / 3),
      elapsed_time: Math.round(distance / 2.9),
      total_elevation_gain: 60,
      average_cadence: 84,
      average_heartrate: 148,
      ...fields,
    };
    this.athlete(athleteId).activities.set(activity.id, activity);
    return activity;
  }

  /** Makes the athlete's tokens invalid, as if they revoked access in Strava's settings. */
  revokeAccess(athleteId: number): void {
    for (const [token, owner] of this.accessTokens) if (owner.athleteId === athleteId) this.accessTokens.delete(token);
    for (const [token, owner] of this.refreshTokens) if (owner === athleteId) this.refreshTokens.delete(token);
  }

  /**
   * The operator regenerated the app's client secret at Strava (Deload still has the old one): token
   * calls then answer 401 naming the Application, as Strava does for wrong client credentials.
   */
  rotateClientSecret(secret = randomBytes(8).toString('hex')): void {
    this.clientSecret = secret;
  }

  /** Lets every access token of the athlete expire now (refresh tokens stay valid). */
  expireAccessTokens(athleteId: number): void {
    for (const token of this.accessTokens.values()) if (token.athleteId === athleteId) token.expiresAt = 0;
  }

  /** What the next visit to /oauth/authorize decides. */
  authorizeNext(decision: AuthorizeDecision): void {
    this.nextDecision = decision;
  }

  /**
   * Uses up the 15-minute window the next API request falls in (as another app of the operator's
   * would): that request and the rest of its window get 429.
   */
  exhaustShortWindow(): void {
    this.exhaustNextWindow = true;
  }

  /** The next `count` requests to `endpoint` (e.g. "POST /oauth/token") answer 503, as Strava does when it is down. */
  failNext(endpoint: string, count = 1): void {
    this.failures.set(endpoint, count);
  }

  count(endpoint: string): number {
    return this.requests.get(endpoint) ?? 0;
  }

  /** API requests of all endpoints (OAuth excluded), the figure Strava's budget counts. */
  apiRequestCount(): number {
    return [...this.requests].filter(([endpoint]) => !endpoint.includes('/oauth/')).reduce((sum, [, n]) => sum + n, 0);
  }

  resetCounters(): void {
    this.requests.clear();
    this.refused = 0;
    this.deliveries.length = 0;
  }

  // ── driver: webhooks ────────────────────────────────────────────────────────────────

  event(
    athleteId: number,
    objectType: 'activity' | 'athlete',
    objectId: number,
    aspect: WebhookEvent['aspect_type'],
    updates = {},
  ): WebhookEvent {
    if (!this.subscription) throw new Error('no push subscription: run strava:subscribe first');
    return {
      object_type: objectType,
      object_id: objectId,
      aspect_type: aspect,
      updates,
      owner_id: athleteId,
      subscription_id: this.subscription.id,
      event_time: Math.floor(this.clock() / 1000),
    };
  }

  /** POSTs one event to the subscription's callback, as Strava does; retries a non-200 (3 attempts in all). */
  async deliver(event: WebhookEvent, attempts = 3): Promise<number> {
    let status = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = performance.now();
      const response = await fetch(this.subscription!.callback_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(2000),
      }).catch(() => undefined);
      status = response?.status ?? 0;
      await response?.arrayBuffer();
      this.deliveries.push({ status, ms: performance.now() - started });
      if (status === 200) break;
    }
    return status;
  }

  async activityCreated(athleteId: number, fields: Partial<FakeActivity> = {}): Promise<FakeActivity> {
    const activity = this.addActivity(athleteId, fields);
    await this.deliver(this.event(athleteId, 'activity', activity.id, 'create'));
    return activity;
  }

  async activityUpdated(
    athleteId: number,
    activityId: number,
    changes: Partial<FakeActivity>,
    updates: Record<string, string>,
  ): Promise<void> {
    Object.assign(this.athlete(athleteId).activities.get(activityId)!, changes);
    await this.deliver(this.event(athleteId, 'activity', activityId, 'update', updates));
  }

  async activityDeleted(athleteId: number, activityId: number): Promise<void> {
    this.athlete(athleteId).activities.delete(activityId);
    await this.deliver(this.event(athleteId, 'activity', activityId, 'delete'));
  }

  /** The athlete revokes Deload in Strava's settings: tokens die and Strava posts authorized "false". */
  async athleteDeauthorized(athleteId: number): Promise<void> {
    this.revokeAccess(athleteId);
    await this.deliver(this.event(athleteId, 'athlete', athleteId, 'update', { authorized: 'false' }));
  }

  // ── HTTP ────────────────────────────────────────────────────────────────────────────

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const body = await readBody(request);
    const route = this.route(request.method ?? 'GET', url.pathname);
    this.requests.set(route.name, (this.requests.get(route.name) ?? 0) + 1);
    this.onRequest?.(route.name, this.clock());
    const failures = this.failures.get(route.name) ?? 0;
    if (failures > 0) {
      this.failures.set(route.name, failures - 1);
      return this.send(response, 503, { message: 'Service Unavailable', errors: [] });
    }
    if (route.name.includes('/api/v3/')) {
      const refused = this.countAgainstLimits(request.method ?? 'GET', response);
      if (refused) {
        this.refused += 1;
        return this.send(response, 429, RATE_LIMITED);
      }
    }
    await route.handler(url, body, request, response);
  }

  private route(method: string, path: string): { name: string; handler: Handler } {
    const routes: [string, RegExp, Handler][] = [
      ['GET', /^\/oauth\/authorize$/, (url, _b, _q, res) => this.authorize(url, res)],
      ['POST', /^\/oauth\/token$/, (_u, body, _q, res) => this.token(body, res)],
      ['POST', /^\/oauth\/deauthorize$/, (url, body, req, res) => this.deauthorize(url, body, req, res)],
      [
        'GET',
        /^\/api\/v3\/athlete$/,
        (_u, _b, req, res) => this.withAthlete(req, res, (a) => this.send(res, 200, athleteJson(a.profile, [...a.gear.values()]))),
      ],
      [
        'GET',
        /^\/api\/v3\/athlete\/activities$/,
        (url, _b, req, res) => this.withAthlete(req, res, (a) => this.listActivities(a, url, res)),
      ],
      ['GET', /^\/api\/v3\/activities\/(\d+)$/, (url, _b, req, res) => this.withAthlete(req, res, (a) => this.getActivity(a, url, res))],
      [
        'GET',
        /^\/api\/v3\/activities\/(\d+)\/streams$/,
        (url, _b, req, res) => this.withAthlete(req, res, (a) => this.getStreams(a, url, res)),
      ],
      ['GET', /^\/api\/v3\/gear\/([\w]+)$/, (url, _b, req, res) => this.withAthlete(req, res, (a) => this.getGear(a, url, res))],
      ['POST', /^\/api\/v3\/push_subscriptions$/, (_u, body, _q, res) => this.createSubscription(body, res)],
      ['GET', /^\/api\/v3\/push_subscriptions$/, (url, _b, _q, res) => this.listSubscriptions(url, res)],
      ['DELETE', /^\/api\/v3\/push_subscriptions\/(\d+)$/, (url, _b, _q, res) => this.deleteSubscription(url, res)],
    ];
    for (const [routeMethod, pattern, handler] of routes) {
      if (routeMethod === method && pattern.test(path)) {
        return {
          name: `${method} ${pattern.source
            .replace(/^\^|\$$/g, '')
            .replace(/\\\//g, '/')
            .replace(/\([^)]*\)/g, '{id}')}`,
          handler,
        };
      }
    }
    return { name: `${method} ${path}`, handler: (_u, _b, _q, res) => this.send(res, 404, { message: 'Resource Not Found', errors: [] }) };
  }

  private authorize(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    if (params.get('client_id') !== this.clientId)
      return this.send(response, 400, { message: 'Bad Request', errors: [{ field: 'client_id', code: 'invalid' }] });
    if (params.get('response_type') !== 'code')
      return this.send(response, 400, { message: 'Bad Request', errors: [{ field: 'response_type', code: 'invalid' }] });
    const redirect = new URL(params.get('redirect_uri') ?? '');
    const decision = this.nextDecision;
    if (!decision) return this.send(response, 200, '<html><body>Authorize Deload? (no decision scripted)</body></html>');
    this.nextDecision = undefined;
    if (params.get('state') !== null) redirect.searchParams.set('state', params.get('state')!);
    if (decision.deny) {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      const asked = (params.get('scope') ?? 'read').split(',');
      const granted = ['read', ...(decision.grant ?? asked)].filter((scope, i, all) => all.indexOf(scope) === i);
      const code = randomBytes(12).toString('hex');
      this.codes.set(code, { athleteId: decision.athleteId, scopes: granted });
      redirect.searchParams.set('code', code);
      redirect.searchParams.set('scope', granted.join(','));
    }
    response.writeHead(302, { location: redirect.toString() }).end();
  }

  private token(body: URLSearchParams, response: ServerResponse): void {
    if (body.get('client_id') !== this.clientId || body.get('client_secret') !== this.clientSecret) {
      return this.send(response, 401, {
        message: 'Bad Request',
        errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }],
      });
    }
    const grantType = body.get('grant_type');
    if (grantType === 'authorization_code') {
      const grant = this.codes.get(body.get('code') ?? '');
      if (!grant)
        return this.send(response, 400, {
          message: 'Bad Request',
          errors: [{ resource: 'AuthorizationCode', field: 'code', code: 'invalid' }],
        });
      this.codes.delete(body.get('code')!);
      const athlete = this.athlete(grant.athleteId);
      return this.send(response, 200, {
        ...this.issueTokens(grant.athleteId),
        athlete: { id: athlete.profile.id, resource_state: 2, firstname: athlete.profile.firstname, lastname: athlete.profile.lastname },
      });
    }
    if (grantType === 'refresh_token') {
      const athleteId = this.refreshTokens.get(body.get('refresh_token') ?? '');
      if (athleteId === undefined)
        return this.send(response, 400, {
          message: 'Bad Request',
          errors: [{ resource: 'RefreshToken', field: 'refresh_token', code: 'invalid' }],
        });
      // Rotation: the old refresh token stops working the moment a new one is issued.
      this.refreshTokens.delete(body.get('refresh_token')!);
      return this.send(response, 200, this.issueTokens(athleteId));
    }
    this.send(response, 400, { message: 'Bad Request', errors: [{ field: 'grant_type', code: 'invalid' }] });
  }

  private deauthorize(url: URL, body: URLSearchParams, request: IncomingMessage, response: ServerResponse): void {
    const token = body.get('access_token') ?? url.searchParams.get('access_token') ?? bearer(request);
    const owner = token ? this.accessTokens.get(token) : undefined;
    if (!owner || owner.expiresAt <= this.clock()) return this.send(response, 401, UNAUTHORIZED);
    this.revokeAccess(owner.athleteId);
    this.send(response, 200, { access_token: token });
  }

  private listActivities(athlete: FakeAthlete, url: URL, response: ServerResponse): void {
    const after = Number(url.searchParams.get('after') ?? 0) * 1000;
    const before = url.searchParams.has('before') ? Number(url.searchParams.get('before')) * 1000 : Infinity;
    const perPage = Math.min(200, Number(url.searchParams.get('per_page') ?? 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const ascending = url.searchParams.has('after') && !url.searchParams.has('before');
    const matching = [...athlete.activities.values()]
      .filter((activity) => Date.parse(activity.start_date) > after && Date.parse(activity.start_date) < before)
      .sort((a, b) => (Date.parse(a.start_date) - Date.parse(b.start_date)) * (ascending ? 1 : -1));
    const slice = matching.slice((page - 1) * perPage, page * perPage);
    this.send(
      response,
      200,
      slice.map((activity) => summaryActivityJson(activity, athlete.profile.id)),
    );
  }

  private getActivity(athlete: FakeAthlete, url: URL, response: ServerResponse): void {
    const activity = athlete.activities.get(Number(url.pathname.split('/')[4]));
    if (!activity) return this.send(response, 404, notFound('Activity'));
    this.send(
      response,
      200,
      detailedActivityJson(activity, athlete.profile.id, activity.gear_id ? athlete.gear.get(activity.gear_id) : undefined),
    );
  }

  private getStreams(athlete: FakeAthlete, url: URL, response: ServerResponse): void {
    const activity = athlete.activities.get(Number(url.pathname.split('/')[4]));
    if (!activity) return this.send(response, 404, notFound('Activity'));
    this.send(response, 200, streamsJson(activity, (url.searchParams.get('keys') ?? '').split(',')));
  }

  private getGear(athlete: FakeAthlete, url: URL, response: ServerResponse): void {
    const gear = athlete.gear.get(url.pathname.split('/')[4]);
    if (!gear) return this.send(response, 404, notFound('Gear'));
    this.send(response, 200, detailedGearJson(gear, athlete.profile.measurement_preference));
  }

  private async createSubscription(body: URLSearchParams, response: ServerResponse): Promise<void> {
    if (!this.validClient(body))
      return this.send(response, 401, {
        message: 'Authorization Error',
        errors: [{ resource: 'Application', field: 'client_secret', code: 'invalid' }],
      });
    if (this.subscription)
      return this.send(response, 400, {
        message: 'Bad Request',
        errors: [{ resource: 'PushSubscription', field: 'callback url', code: 'already exists' }],
      });
    const callbackUrl = body.get('callback_url') ?? '';
    const verifyToken = body.get('verify_token') ?? '';
    const challenge = randomBytes(8).toString('hex');
    const check = new URL(callbackUrl);
    check.search = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': challenge, 'hub.verify_token': verifyToken }).toString();
    const answer = await fetch(check, { signal: AbortSignal.timeout(2000) })
      .then(async (res) => (res.ok ? ((await res.json()) as Record<string, string>) : undefined))
      .catch(() => undefined);
    if (answer?.['hub.challenge'] !== challenge) {
      return this.send(response, 400, {
        message: 'Bad Request',
        errors: [{ resource: 'PushSubscription', field: 'callback url', code: 'GET to callback URL does not return 200' }],
      });
    }
    this.subscription = { id: 120_000 + Math.floor(Math.random() * 1000), callback_url: callbackUrl, verify_token: verifyToken };
    this.send(response, 201, { id: this.subscription.id });
  }

  private listSubscriptions(url: URL, response: ServerResponse): void {
    if (!this.validClient(url.searchParams)) return this.send(response, 401, UNAUTHORIZED);
    const now = new Date().toISOString();
    this.send(
      response,
      200,
      this.subscription
        ? [
            {
              id: this.subscription.id,
              resource_state: 2,
              application_id: Number(this.clientId),
              callback_url: this.subscription.callback_url,
              created_at: now,
              updated_at: now,
            },
          ]
        : [],
    );
  }

  private deleteSubscription(url: URL, response: ServerResponse): void {
    if (!this.validClient(url.searchParams)) return this.send(response, 401, UNAUTHORIZED);
    if (this.subscription?.id !== Number(url.pathname.split('/').pop())) return this.send(response, 404, notFound('PushSubscription'));
    this.subscription = undefined;
    response.writeHead(204).end();
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────

  private withAthlete(request: IncomingMessage, response: ServerResponse, handle: (athlete: FakeAthlete) => void): void {
    const token = this.accessTokens.get(bearer(request) ?? '');
    if (!token || token.expiresAt <= this.clock()) return this.send(response, 401, UNAUTHORIZED);
    handle(this.athlete(token.athleteId));
  }

  private issueTokens(athleteId: number) {
    const accessToken = randomBytes(20).toString('hex');
    const refreshToken = randomBytes(20).toString('hex');
    const expiresAt = this.clock() + this.accessTokenTtlS * 1000;
    this.accessTokens.set(accessToken, { athleteId, expiresAt });
    this.refreshTokens.set(refreshToken, athleteId);
    return {
      token_type: 'Bearer',
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_at: Math.floor(expiresAt / 1000),
      expires_in: this.accessTokenTtlS,
    };
  }

  /** Counts the request and sets the four headers; true when it is over a limit (refused ones still count per day). */
  private countAgainstLimits(method: string, response: ServerResponse): boolean {
    const isRead = method === 'GET';
    if (this.exhaustNextWindow) {
      this.usage.set(this.usageKey('short', 'all'), this.limits.short);
      this.exhaustNextWindow = false;
    }
    const used = (window: 'short' | 'daily', kind: 'all' | 'read') => this.usage.get(this.usageKey(window, kind)) ?? 0;
    const over =
      used('short', 'all') >= this.limits.short ||
      used('daily', 'all') >= this.limits.daily ||
      (isRead && (used('short', 'read') >= this.limits.readShort || used('daily', 'read') >= this.limits.readDaily));
    const add = (window: 'short' | 'daily', kind: 'all' | 'read') => this.usage.set(this.usageKey(window, kind), used(window, kind) + 1);
    add('daily', 'all');
    if (isRead) add('daily', 'read');
    if (!over) {
      add('short', 'all');
      if (isRead) add('short', 'read');
    }
    response.setHeader('X-RateLimit-Limit', `${this.limits.short},${this.limits.daily}`);
    response.setHeader('X-RateLimit-Usage', `${used('short', 'all')},${used('daily', 'all')}`);
    response.setHeader('X-ReadRateLimit-Limit', `${this.limits.readShort},${this.limits.readDaily}`);
    response.setHeader('X-ReadRateLimit-Usage', `${used('short', 'read')},${used('daily', 'read')}`);
    return over;
  }

  private usageKey(window: 'short' | 'daily', kind: 'all' | 'read'): string {
    const length = window === 'short' ? this.windows.shortMs : this.windows.dailyMs;
    return `${window}:${kind}:${Math.floor(this.clock() / length)}`;
  }

  private validClient(params: URLSearchParams): boolean {
    return params.get('client_id') === this.clientId && params.get('client_secret') === this.clientSecret;
  }

  private athlete(athleteId: number): FakeAthlete {
    const athlete = this.athletes.get(athleteId);
    if (!athlete) throw new Error(`fake Strava has no athlete ${athleteId}`);
    return athlete;
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    if (typeof body === 'string') {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }
}

type Handler = (url: URL, body: URLSearchParams, request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

function bearer(request: IncomingMessage): string | undefined {
  return request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
}

async function readBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (request.headers['content-type']?.includes('application/json') && text) {
    return new URLSearchParams(
      Object.entries(JSON.parse(text) as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
    );
  }
  return new URLSearchParams(text);
}
