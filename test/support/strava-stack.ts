import { SESSION_COOKIE } from '../../libs/auth/src';
import { FakeStravaOptions } from '../fake-strava';
import { Stack, StackOptions, startStack } from './stack';
import { waitFor } from './wait';

/** A stack with the fake Strava: api and worker, links to the api, queues of its own. */
export type StravaStack = Stack;

export interface StravaStackOptions extends Omit<StackOptions, 'strava' | 'api' | 'worker'> {
  fake?: FakeStravaOptions;
}

/**
 * The api (HTTP on loopback, PUBLIC_URL its own address) and a worker without cron, both the real
 * modules, against a fake Strava, with a Redis prefix of their own: another test file's worker
 * must not take their jobs.
 */
export function startStravaStack({ fake, ...options }: StravaStackOptions = {}): Promise<StravaStack> {
  return startStack({
    api: true,
    worker: true,
    linksToApi: true,
    redisPrefix: 'strava',
    subscribe: true,
    ...options,
    strava: fake ?? true,
  });
}

/** Cookies a response sets, as name → value. */
function setCookies(response: Response): Record<string, string> {
  return Object.fromEntries(
    response.headers.getSetCookie().map((line) => {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

export interface ConnectResult {
  /** Final response of the callback (a 303 to /me when connected, or a page). */
  response: Response;
  sessionCookie?: string;
}

/**
 * "Connect with Strava" through the real redirects, like a browser: /auth/strava → the fake's
 * authorize page (which decides as told) → /auth/strava/callback with the nonce cookie.
 */
export async function connectThroughRedirects(
  stack: Pick<Stack, 'fake' | 'url'>,
  athleteId: number,
  options: { grant?: string[]; deny?: boolean; cookie?: string } = {},
): Promise<ConnectResult> {
  stack.fake.authorizeNext({ athleteId, grant: options.grant, deny: options.deny });
  const headers: Record<string, string> = options.cookie ? { cookie: options.cookie } : {};
  const start = await fetch(`${stack.url}/auth/strava`, { redirect: 'manual', headers });
  const nonce = setCookies(start);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callbackUrl = authorize.headers.get('location')!;
  const cookie = [options.cookie, ...Object.entries(nonce).map(([name, value]) => `${name}=${value}`)].filter(Boolean).join('; ');
  const response = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie, accept: 'text/html' } });
  const session = setCookies(response)[SESSION_COOKIE];
  return { response, sessionCookie: session ? `${SESSION_COOKIE}=${session}` : undefined };
}

/** The athlete's connection row once its backfill has finished. */
export async function backfilledConnection(
  stack: Pick<Stack, 'db'>,
  athleteId: number,
  timeoutMs = 30_000,
): Promise<{ id: string; user_id: string }> {
  return waitFor(
    `the backfill of athlete ${athleteId}`,
    async () =>
      (
        await stack.db.query(`SELECT id, user_id FROM strava_connections WHERE athlete_id = $1 AND backfilled_at IS NOT NULL`, [athleteId])
      )[0],
    timeoutMs,
  );
}

/** A new athlete of the fake (no activities), connected through the redirects, once their (empty) backfill is done. */
export async function connectNewAthlete(stack: StravaStack, athleteId: number): Promise<{ athleteId: number; userId: string }> {
  stack.fake.addAthlete({ id: athleteId });
  await connectThroughRedirects(stack, athleteId);
  const row = await backfilledConnection(stack, athleteId);
  return { athleteId, userId: row.user_id };
}

/** The runner's `evaluate` jobs: ids of those finished and of those still to run. */
export async function evaluationJobs(stack: StravaStack, userId: string): Promise<{ finished: string[]; open: string[] }> {
  const queue = stack.queue('evaluate');
  const ids = async (states: Parameters<typeof queue.getJobs>[0]) =>
    (await queue.getJobs(states)).filter((job) => job.data?.userId === userId).map((job) => String(job.id));
  return { finished: await ids(['completed', 'failed']), open: await ids(['waiting', 'active', 'delayed', 'prioritized']) };
}

/** The `message` of a JSON error answer. */
export async function errorMessage(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}
