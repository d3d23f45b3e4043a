import { stravaEventJobId } from '../../libs/strava/src';
import { postWebhook } from '../support/requests';
import { Stack, startStack } from '../support/stack';

/**
 * Issue 16: POST /webhooks/strava is answered ahead of Nest's middleware (no cookies, sessions or
 * CSRF), and still limits each source, keeps the subscription check and queues each event once.
 */
describe('the lean Strava webhook intake', () => {
  const RATE_LIMIT = 5;
  const VERIFY_TOKEN = 'lean-intake-verify-token';
  let stack: Stack;
  const subscriptionId = 800_000 + Math.floor(Math.random() * 100_000);
  const ownerId = 900_000 + Math.floor(Math.random() * 100_000);
  let nextActivity = Math.floor(Math.random() * 1e9);

  const event = (overrides: Record<string, unknown> = {}) => ({
    object_type: 'activity',
    object_id: nextActivity++,
    aspect_type: 'create',
    updates: {},
    owner_id: ownerId,
    subscription_id: subscriptionId,
    event_time: 1_760_000_000,
    ...overrides,
  });

  const post = (body: unknown, headers: Record<string, string> = {}) => postWebhook(stack.url, body, { headers });

  const inboxIds = async (objectId: number): Promise<string[]> =>
    (
      await stack.db.query(`SELECT id FROM webhook_events WHERE provider = 'strava' AND payload->>'object_id' = $1`, [String(objectId)])
    ).map((row: { id: string }) => String(row.id));

  beforeAll(async () => {
    // Behind a proxy on loopback: X-Forwarded-For names the source, so each test is its own source.
    stack = await startStack({
      api: true,
      redisPrefix: 'lean-webhook',
      env: { STRAVA_WEBHOOK_RATE_LIMIT: String(RATE_LIMIT), TRUST_PROXY: 'loopback', STRAVA_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN },
    });
    await stack.db.query(`INSERT INTO strava_push_subscriptions (id, callback_url) VALUES ($1, 'http://deload.test/webhooks/strava')`, [
      subscriptionId,
    ]);
  });
  afterAll(async () => {
    await stack?.db.query(`DELETE FROM webhook_events WHERE provider = 'strava' AND payload->>'owner_id' = $1`, [String(ownerId)]);
    await stack?.db.query(`DELETE FROM strava_push_subscriptions WHERE id = $1`, [subscriptionId]);
    await stack?.stop();
  });

  it('neither sets nor needs a cookie: no session, no CSRF token, a stray Cookie header changes nothing', async () => {
    const plain = await post(event(), { 'x-forwarded-for': '203.0.113.1' });
    const withCookie = await post(event(), { 'x-forwarded-for': '203.0.113.1', cookie: 'deload_session=forged; csrf=nope' });
    for (const answer of [plain, withCookie]) {
      expect(answer).toMatchObject({ status: 200, body: JSON.stringify({ received: true }) });
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-store');
      // Answered ahead of Nest's middleware: none of the page headers (CSP with a per-response nonce) were made for it.
      expect(answer.headers['content-security-policy']).toBeUndefined();
    }
  });

  it('answers bad bodies with the usual JSON reasons', async () => {
    const source = { 'x-forwarded-for': '203.0.113.2' };
    const notEvent = await post({ hello: 'world' }, source);
    expect(notEvent.status).toBe(400);
    expect(JSON.parse(notEvent.body)).toMatchObject({
      statusCode: 400,
      error: 'invalid',
      message: expect.stringMatching(/^not a Strava event: /),
    });
    const notJson = await post('{"object_type":', source);
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ statusCode: 400, message: 'the request body is not valid JSON' });
    const tooLarge = await post(event({ updates: { title: 'x'.repeat(200_000) } }), source);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ statusCode: 413, error: 'too_large' });
  });

  it('limits each source (as TRUST_PROXY names it): past the limit 429 with Retry-After, other sources unaffected', async () => {
    const from = (address: string) => post(event(), { 'x-forwarded-for': address });
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) statuses.push((await from('198.51.100.7')).status);
    expect(statuses).toEqual(Array(RATE_LIMIT).fill(200));
    const refused = await from('198.51.100.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 429, message: expect.stringMatching(/too many webhook requests/) });
    expect((await from('198.51.100.8')).status).toBe(200);
  });

  it('counts POSTs arriving together from one source one by one: exactly the limit is let through', async () => {
    const answers = await Promise.all(Array.from({ length: RATE_LIMIT + 3 }, () => post(event(), { 'x-forwarded-for': '198.51.100.9' })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), 429, 429, 429]);
  });

  it('stores and queues an event once however often and however concurrently it is delivered', async () => {
    const once = event();
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => post(once, { 'x-forwarded-for': `192.0.2.${i + 1}` })));
    answers.push(await post(once, { 'x-forwarded-for': '192.0.2.9' }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const ids = await inboxIds(once.object_id);
    expect(ids).toHaveLength(1);
    const job = await stack.queue('strava-event').getJob(stravaEventJobId(ids[0]));
    expect(job?.data).toEqual({ eventId: ids[0] });
  });

  it('answers an event of another subscription exactly like ours, and drops it', async () => {
    const ours = await post(event(), { 'x-forwarded-for': '192.0.2.20' });
    const guessed = event({ subscription_id: subscriptionId + 1 });
    const theirs = await post(guessed, { 'x-forwarded-for': '192.0.2.20' });
    expect({ ...theirs, headers: { ...theirs.headers, date: undefined } }).toEqual({
      ...ours,
      headers: { ...ours.headers, date: undefined },
    });
    expect(await inboxIds(guessed.object_id)).toEqual([]);
  });

  it('still answers the GET subscription handshake', async () => {
    const answer = await fetch(`${stack.url}/webhooks/strava?hub.mode=subscribe&hub.challenge=c1&hub.verify_token=${VERIFY_TOKEN}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ 'hub.challenge': 'c1' });
  });
});
