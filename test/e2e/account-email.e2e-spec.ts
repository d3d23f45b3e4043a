import { SessionsService } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import { StravaConnections } from '../../libs/strava/src';
import { signIn, SignedIn, uniqueEmail } from '../support/sessions';
import { backfilledConnection, connectThroughRedirects, startStravaStack, StravaStack } from '../support/strava-stack';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);

/** A signed-in browser as far as the api can tell: the session cookie and its CSRF token. */
interface Browserish {
  cookie: string;
  csrfToken: string;
}

describe('a runner’s email address: added after Strava sign-in, changed, confirmed by link; merging a Strava-only account', () => {
  let stack: StravaStack;
  let nextAthlete = 900_000 + Math.floor(Math.random() * 90_000);

  beforeAll(async () => {
    stack = await startStravaStack({ subscribe: false, outbox: true });
  });
  afterAll(() => stack?.stop());

  const asBrowser = async (cookie: string): Promise<Browserish> => {
    const sessions = stack.api.get(SessionsService);
    const active = await sessions.resolve(cookie.split('=')[1]);
    return { cookie, csrfToken: active!.csrfToken };
  };
  const post = (who: Browserish, path: string, fields: Record<string, string>) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ _csrf: who.csrfToken, ...fields }),
    });
  const get = (who: Browserish | undefined, path: string) =>
    fetch(`${stack.url}${path}`, { redirect: 'manual', headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
  const mailsTo = async (email: string) => (await stack.outbox.list(5000)).filter((entry) => entry.to === email);
  const confirmPath = async (email: string) => {
    const [entry] = await mailsTo(email);
    const link = new URL((await stack.outbox.read(entry.file)).text!.match(/https?:\/\/\S+\/email\/confirm\?t=\S+/)![0]);
    return `${link.pathname}${link.search}`;
  };
  const tokenOf = (path: string) => new URLSearchParams(path.split('?')[1]).get('t')!;
  const userRow = async (id: string) => (await stack.db.query(`SELECT id, email, role FROM users WHERE id = $1`, [id]))[0];

  /** "Sign in with Strava" as a new athlete with some runs: the email-less account and its browser. */
  async function stravaOnlyRunner(runs = 2): Promise<{ athleteId: number; userId: string; browser: Browserish; landing: string }> {
    const athleteId = nextAthlete++;
    stack.fake.addAthlete({ id: athleteId, firstname: 'Ola' });
    const now = Date.now();
    for (let i = 0; i < runs; i++) {
      stack.fake.addActivity(athleteId, {
        name: `Run ${i}`,
        start_date: new Date(now - (i + 1) * 86_400_000).toISOString(),
        distance: 8000 + i,
      });
    }
    const { response, sessionCookie } = await connectThroughRedirects(stack, athleteId);
    const connection = await backfilledConnection(stack, athleteId);
    await waitFor(
      'the backfilled runs',
      async () => Number((await stack.db.query(`SELECT count(*) FROM runs WHERE user_id = $1`, [connection.user_id]))[0].count) === runs,
    );
    return {
      athleteId,
      userId: String(connection.user_id),
      browser: await asBrowser(sessionCookie!),
      landing: response.headers.get('location')!,
    };
  }

  it('asks a runner who signed in with Strava for an address, and sends only the confirmation link until it is opened', async () => {
    const runner = await stravaOnlyRunner(1);
    expect(runner.landing).toBe('/settings/email?welcome=1');
    const welcome = await (await get(runner.browser, runner.landing)).text();
    expect(welcome).toContain('Strava does not tell us your email address');
    expect(await (await get(runner.browser, '/me')).text()).toContain('Deload cannot warn you yet');
    expect(await (await fetch(`${stack.url}/api/me`, { headers: { cookie: runner.browser.cookie } })).json()).toMatchObject({
      email: null,
      hasEmail: false,
    });

    const email = uniqueEmail('strava-runner');
    const asked = await post(runner.browser, '/settings/email', { email });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('We sent a link to');
    const sent = await mailsTo(email);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ subject: 'Confirm your email address for Deload', credential: 'email-confirmation' });
    expect((await userRow(runner.userId)).email).toMatch(/@no-email\.invalid$/);

    const path = await confirmPath(email);
    // Someone else who gets hold of the link cannot attach the address to their account, nor use it signed out.
    const stranger = await signIn(stack.api);
    expect((await get(stranger, path)).status).toBe(403);
    const anonymous = await get(undefined, path);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    const login = await (await get(undefined, anonymous.headers.get('location')!)).text();
    expect(login).toContain(`href="/auth/strava?next=${encodeURIComponent(path)}"`);

    const page = await get(runner.browser, path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Use ${email}?`);
    expect((await userRow(runner.userId)).email).toMatch(/@no-email\.invalid$/); // GET changes nothing (mail scanners)

    const confirmed = await post(runner.browser, '/email/confirm', { t: tokenOf(path) });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/settings?saved=email#email');
    expect((await userRow(runner.userId)).email).toBe(email);
    expect(await (await fetch(`${stack.url}/api/me`, { headers: { cookie: runner.browser.cookie } })).json()).toMatchObject({
      email,
      hasEmail: true,
    });
    expect(await mailsTo(email)).toHaveLength(1); // no notice: the old address was a placeholder
    expect((await post(runner.browser, '/email/confirm', { t: tokenOf(path) })).status).toBe(400);
  });

  it('lets a runner change their address: confirmed at the new one, the old one told, other sessions ended', async () => {
    const runner = await signIn(stack.api);
    const otherDevice = await signIn(stack.api, { email: runner.user.email });
    const newEmail = uniqueEmail('moved');
    const api = await fetch(`${stack.url}/api/me/email`, {
      method: 'POST',
      headers: { ...runner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ email: newEmail }),
    });
    expect(api.status).toBe(202);
    expect(await api.json()).toEqual({ sent: true, to: newEmail });

    const path = await confirmPath(newEmail);
    expect((await post(runner, '/email/confirm', { t: tokenOf(path) })).status).toBe(303);
    expect((await userRow(runner.user.id)).email).toBe(newEmail);
    const [notice] = await mailsTo(runner.user.email);
    expect(notice.subject).toBe('Your Deload email address was changed');
    expect(notice.credential).toBeUndefined();
    expect((await stack.outbox.read(notice.file)).text).toContain(newEmail);
    expect((await fetch(`${stack.url}/api/me`, { headers: { cookie: runner.cookie } })).status).toBe(200);
    expect((await fetch(`${stack.url}/api/me`, { headers: { cookie: otherDevice.cookie, accept: 'application/json' } })).status).toBe(401);
  });

  it('refuses an address that cannot receive mail, the same address, and a link older than the last change', async () => {
    const runner = await signIn(stack.api);
    const refuse = async (email: string) => {
      const response = await post(runner, '/settings/email', { email });
      expect(response.status).toBe(400);
      return response.text();
    };
    expect(await refuse('runner@no-email.invalid')).toContain('cannot receive email');
    expect(await refuse(runner.user.email)).toContain('is already your address');
    expect(await refuse('not an address')).toContain('is not an email address');

    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await post(runner, '/settings/email', { email: first });
    await post(runner, '/settings/email', { email: second });
    const firstPath = await confirmPath(first);
    expect((await post(runner, '/email/confirm', { t: tokenOf(await confirmPath(second)) })).status).toBe(303);
    const stale = await post(runner, '/email/confirm', { t: tokenOf(firstPath) });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('your address has changed since this link was sent');
    expect((await userRow(runner.user.id)).email).toBe(second);
  });

  it('merges a Strava-only account into the email account that connects the same athlete, instead of a 409', async () => {
    const stravaOnly = await stravaOnlyRunner(2);
    const owner = await signIn(stack.api);
    // The same outing exists in the email account already (uploaded as a file, say): it stays one run.
    const [stravaRun] = await stack.db.query(
      `SELECT start_utc, distance_m, utc_offset_s FROM runs WHERE user_id = $1 ORDER BY start_utc DESC LIMIT 1`,
      [stravaOnly.userId],
    );
    const [ownRun] = await stack.db.query(
      `INSERT INTO runs (user_id, source, external_id, sport, is_run, start_utc, utc_offset_s, distance_m)
       VALUES ($1, 'fit', 'own-fit-1', 'run', true, $2, $3, $4) RETURNING id`,
      [owner.user.id, new Date(new Date(stravaRun.start_utc).getTime() + 30_000), stravaRun.utc_offset_s, stravaRun.distance_m * 1.01],
    );
    await stack.db.query(`INSERT INTO run_sources (run_id, user_id, source, external_id) VALUES ($1, $2, 'fit', 'own-fit-1')`, [
      ownRun.id,
      owner.user.id,
    ]);

    const { response } = await connectThroughRedirects(stack, stravaOnly.athleteId, { cookie: owner.cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('This Strava account already has a Deload account');
    expect(page).toContain('2 runs');
    const token = page.match(/name="t" value="([^"]+)"/)![1];
    expect((await connectionOf(stravaOnly.athleteId)).user_id).toBe(stravaOnly.userId);

    // The offer is for these two accounts only.
    const stranger = await signIn(stack.api);
    expect((await post(stranger, '/account/merge', { t: token })).status).toBe(403);

    const merged = await post(owner, '/account/merge', { t: token });
    expect(merged.status).toBe(303);
    expect(merged.headers.get('location')).toBe('/settings?saved=merged#email');
    expect(await userRow(stravaOnly.userId)).toBeUndefined();
    const connection = await connectionOf(stravaOnly.athleteId);
    expect(connection.user_id).toBe(owner.user.id);
    const reloaded = await stack.api.get(StravaConnections).byAthlete(stravaOnly.athleteId);
    expect(stack.api.get(StravaConnections).openAccessToken(reloaded!)).toEqual(expect.any(String)); // tokens sealed for the new owner
    const runs = await stack.db.query(
      `SELECT r.id, array_agg(s.source ORDER BY s.source) AS sources FROM runs r JOIN run_sources s ON s.run_id = r.id
        WHERE r.user_id = $1 GROUP BY r.id`,
      [owner.user.id],
    );
    expect(runs).toHaveLength(2);
    expect(runs.find((run: { id: string }) => run.id === ownRun.id).sources).toEqual(['fit', 'strava']);
    expect((await post(owner, '/account/merge', { t: token })).status).toBe(400);
  });

  it('merges the other way round too: the Strava-only runner confirms the address of an existing account', async () => {
    const stravaOnly = await stravaOnlyRunner(1);
    const existing = await stack.api.get(UsersService).findOrCreate(uniqueEmail('existing'), { role: 'coach' });
    expect((await post(stravaOnly.browser, '/settings/email', { email: existing.email })).status).toBe(200);
    const path = await confirmPath(existing.email);
    const page = await (await get(stravaOnly.browser, path)).text();
    expect(page).toContain(`Bring this Strava account into ${existing.email}?`);

    const merged = await post(stravaOnly.browser, '/email/confirm', { t: tokenOf(path) });
    expect(merged.status).toBe(303);
    const session = merged.headers
      .getSetCookie()
      .find((line) => line.startsWith('deload_session='))!
      .split(';')[0];
    expect(await (await fetch(`${stack.url}/api/me`, { headers: { cookie: session } })).json()).toMatchObject({
      id: existing.id,
      email: existing.email,
      role: 'both',
    });
    expect(
      (await fetch(`${stack.url}/api/me`, { headers: { cookie: stravaOnly.browser.cookie, accept: 'application/json' } })).status,
    ).toBe(401);
    expect((await connectionOf(stravaOnly.athleteId)).user_id).toBe(existing.id);
    expect(Number((await stack.db.query(`SELECT count(*) FROM runs WHERE user_id = $1`, [existing.id]))[0].count)).toBe(1);
  });

  it('keeps the 409 when the accounts cannot merge (the other account has an address, or one has Strava already)', async () => {
    const first = await stravaOnlyRunner(1);
    const owner: SignedIn = await signIn(stack.api);
    const ownAthlete = nextAthlete++;
    stack.fake.addAthlete({ id: ownAthlete });
    await connectThroughRedirects(stack, ownAthlete, { cookie: owner.cookie });
    const refused = await connectThroughRedirects(stack, first.athleteId, { cookie: owner.cookie });
    expect(refused.response.status).toBe(409);
    expect(await refused.response.text()).toContain('already connected to another Strava account');
    expect((await connectionOf(first.athleteId)).user_id).toBe(first.userId);
  });

  async function connectionOf(athleteId: number) {
    return (await stack.db.query(`SELECT * FROM strava_connections WHERE athlete_id = $1`, [athleteId]))[0];
  }
});
