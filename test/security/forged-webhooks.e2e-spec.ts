import { stravaEventJobId } from '../../libs/strava/src';
import type { WebhookEvent } from '../fake-strava';
import { postWebhook, RawAnswer } from '../support/requests';
import { backfilledConnection, connectNewAthlete, connectThroughRedirects, startStravaStack, StravaStack } from '../support/strava-stack';
import { waitFor } from '../support/wait';

/** POSTs an event to the webhook callback from a loopback address of our choosing (a "source"). */
const postFrom = (stack: StravaStack, body: unknown, localAddress = '127.0.0.1'): Promise<RawAnswer> =>
  postWebhook(stack.url, body, { localAddress });

/** What an observer can compare between two answers (the Date header aside). */
const observable = ({ status, headers, body }: RawAnswer) => ({
  status,
  body,
  contentType: headers['content-type'],
  contentLength: headers['content-length'],
});

jest.setTimeout(120_000);

describe('security: forged Strava webhooks (issue 11, item 3)', () => {
  let stack: StravaStack;
  let nextAthlete = 600_000 + Math.floor(Math.random() * 100_000);

  beforeAll(async () => {
    stack = await startStravaStack({
      env: { STRAVA_WEBHOOK_RATE_LIMIT: '40' },
      fake: { limits: { short: 6000, readShort: 3000, daily: 60_000, readDaily: 30_000 } },
    });
  });

  afterAll(() => stack?.stop());

  const connectedAthlete = () => connectNewAthlete(stack, nextAthlete++);

  const inbox = (event: WebhookEvent) =>
    stack.db.query(
      `SELECT status, error FROM webhook_events
        WHERE provider = 'strava' AND payload->>'owner_id' = $1 AND payload->>'object_id' = $2
          AND payload->>'event_time' = $3 AND payload->>'aspect_type' = $4`,
      [String(event.owner_id), String(event.object_id), String(event.event_time), event.aspect_type],
    );
  const settled = (event: WebhookEvent) =>
    waitFor('the event to settle', async () => {
      const rows = await inbox(event);
      return rows.length > 0 && rows.every((row: { status: string }) => row.status !== 'pending') && rows;
    });
  const stravaData = async (userId: string) => ({
    connection: (await stack.db.query(`SELECT count(*)::int AS n FROM strava_connections WHERE user_id = $1`, [userId]))[0].n,
    runs: (await stack.db.query(`SELECT count(*)::int AS n FROM run_sources WHERE user_id = $1 AND source = 'strava'`, [userId]))[0].n,
    shoes: (await stack.db.query(`SELECT count(*)::int AS n FROM shoes WHERE user_id = $1 AND source = 'strava'`, [userId]))[0].n,
  });
  const later = (event: WebhookEvent, seconds: number): WebhookEvent => ({ ...event, event_time: event.event_time + seconds });

  it('answers an event of a wrong subscription exactly like one of ours, and does nothing with it', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const ours = stack.fake.event(athleteId, 'athlete', athleteId, 'update', { authorized: 'false' });
    const guessed = { ...later(ours, 1), subscription_id: stack.fake.subscription!.id + 1 };

    const answers = [
      await postFrom(stack, ours),
      await postFrom(stack, guessed),
      await postFrom(stack, ours),
      await postFrom(stack, guessed),
    ];
    // New, dropped, Strava's retry of ours, the guess again: nothing tells them apart.
    expect(new Set(answers.map((answer) => JSON.stringify(observable(answer)))).size).toBe(1);
    expect(observable(answers[0])).toMatchObject({ status: 200, body: JSON.stringify({ received: true }) });

    expect(await inbox(guessed)).toEqual([]);
    await settled(ours);
    expect(await stravaData(userId)).toEqual({ connection: 1, runs: 0, shoes: 0 });
  });

  it('keeps a runner’s connection, runs and shoes when a deauthorization is forged: Strava still accepts the token', async () => {
    const { athleteId, userId } = await connectedAthlete();
    stack.fake.addGear(athleteId, { id: 'g501', name: 'Kinvara 14', distance: 300_000 });
    const activity = await stack.fake.activityCreated(athleteId, { gear_id: 'g501' });
    await waitFor('the run', async () => (await stravaData(userId)).runs === 1);
    const tokenCalls = stack.fake.count('GET /api/v3/athlete');

    const forged = later(stack.fake.event(athleteId, 'athlete', athleteId, 'update', { authorized: 'false' }), 7);
    expect((await postFrom(stack, forged)).status).toBe(200);
    expect(await settled(forged)).toEqual([{ status: 'ignored', error: expect.stringMatching(/deauthorization not confirmed/) }]);
    expect(stack.fake.count('GET /api/v3/athlete')).toBe(tokenCalls + 1);
    expect(await stravaData(userId)).toEqual({ connection: 1, runs: 1, shoes: 1 });

    // Even when our access token has expired: the refresh works, so the athlete has not withdrawn access.
    await stack.db.query(`UPDATE strava_connections SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [userId]);
    stack.fake.expireAccessTokens(athleteId);
    const again = later(forged, 60);
    await postFrom(stack, again);
    expect(await settled(again)).toEqual([{ status: 'ignored', error: expect.stringMatching(/deauthorization not confirmed/) }]);
    expect(await stravaData(userId)).toEqual({ connection: 1, runs: 1, shoes: 1 });

    // The real one (Strava revoked the tokens first) still removes everything.
    await stack.fake.athleteDeauthorized(athleteId);
    await waitFor('the deauthorization', async () => (await stravaData(userId)).connection === 0);
    expect(await stravaData(userId)).toEqual({ connection: 0, runs: 0, shoes: 0 });
    expect(activity.id).toBeGreaterThan(0);
  });

  it('keeps a run when its deletion is forged (Strava still has the activity), and removes it once Strava answers 404', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const activity = await stack.fake.activityCreated(athleteId, { distance: 12_000 });
    await waitFor('the run', async () => (await stravaData(userId)).runs === 1);
    const fetches = stack.fake.count('GET /api/v3/activities/{id}');

    // A minute earlier than now: Strava's own delete below must not share its event time (that would make it a retry of this one).
    const forged = later(stack.fake.event(athleteId, 'activity', activity.id, 'delete'), -60);
    await postFrom(stack, forged);
    expect(await settled(forged)).toEqual([
      { status: 'ignored', error: expect.stringMatching(/delete not confirmed: the activity is still on Strava/) },
    ]);
    expect(stack.fake.count('GET /api/v3/activities/{id}')).toBe(fetches + 1);
    expect(await stravaData(userId)).toMatchObject({ runs: 1 });

    // A delete of an activity we never stored costs no call to Strava.
    const unknown = stack.fake.event(athleteId, 'activity', activity.id + 999_999, 'delete');
    await postFrom(stack, unknown);
    expect(await settled(unknown)).toEqual([{ status: 'ignored', error: 'activity was not stored' }]);
    expect(stack.fake.count('GET /api/v3/activities/{id}')).toBe(fetches + 1);

    await stack.fake.activityDeleted(athleteId, activity.id);
    await waitFor('the confirmed delete', async () => (await stravaData(userId)).runs === 0);
  });

  it('does not take a refusal of our own client credentials (a misconfiguration) for a deauthorization', async () => {
    const { athleteId, userId } = await connectedAthlete();
    await stack.fake.activityCreated(athleteId);
    await waitFor('the run', async () => (await stravaData(userId)).runs === 1);
    const secret = stack.fake.clientSecret;
    await stack.db.query(`UPDATE strava_connections SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [userId]);
    stack.fake.expireAccessTokens(athleteId);
    stack.fake.rotateClientSecret();
    try {
      const forged = later(stack.fake.event(athleteId, 'athlete', athleteId, 'update', { authorized: 'false' }), 13);
      await postFrom(stack, forged);
      expect(await settled(forged)).toEqual([{ status: 'failed', error: expect.stringMatching(/Application/) }]);
      expect(await stravaData(userId)).toEqual({ connection: 1, runs: 1, shoes: 0 });
    } finally {
      stack.fake.rotateClientSecret(secret);
    }
  });

  it('limits webhook POSTs per source address: past the limit 429 with Retry-After, other sources unaffected', async () => {
    const { athleteId } = await connectedAthlete();
    const event = (i: number) => ({ ...stack.fake.event(athleteId, 'activity', 1, 'update', { title: `x${i}` }), subscription_id: 1 });
    const statuses: number[] = [];
    let refused: RawAnswer | undefined;
    for (let i = 0; i < 41; i += 1) {
      const answer = await postFrom(stack, event(i), '127.0.0.3');
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
    expect(statuses[40]).toBe(429);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused!.body)).toMatchObject({ statusCode: 429, message: expect.stringMatching(/too many webhook requests/) });
    expect((await postFrom(stack, event(99), '127.0.0.4')).status).toBe(200);
  });
});

describe('security: confirming a deauthorization stays within the shared Strava budget', () => {
  let stack: StravaStack;

  beforeAll(async () => {
    stack = await startStravaStack({
      windows: { shortMs: 3000, dailyMs: 24 * 3600_000 },
      fake: { limits: { short: 16, readShort: 8, daily: 20_000, readDaily: 10_000 } },
    });
  });

  afterAll(() => stack?.stop());

  it('waits for the next window after a 429 instead of acting unconfirmed, then removes the data', async () => {
    const athleteId = 700_000 + Math.floor(Math.random() * 50_000);
    stack.fake.addAthlete({ id: athleteId });
    await connectThroughRedirects(stack, athleteId);
    const { user_id: userId } = await backfilledConnection(stack, athleteId);
    stack.fake.resetCounters();
    stack.fake.exhaustShortWindow();
    await stack.fake.athleteDeauthorized(athleteId);

    const [{ id: eventId }] = await stack.db.query(
      `SELECT id FROM webhook_events WHERE provider = 'strava' AND payload->>'owner_id' = $1 AND payload->>'object_type' = 'athlete'`,
      [String(athleteId)],
    );
    const job = await waitFor(
      'the deauthorization job',
      async () => {
        const found = await stack.queue('strava-event').getJob(stravaEventJobId(eventId));
        return (await found?.getState()) === 'completed' && found;
      },
      60_000,
    );
    expect(await stack.db.query(`SELECT 1 FROM strava_connections WHERE user_id = $1`, [userId])).toEqual([]);
    // The token call was refused once (429) and made again in the next window; nothing was removed in between.
    expect(stack.fake.refused).toBeGreaterThan(0);
    expect(stack.fake.count('GET /api/v3/athlete')).toBe(stack.fake.refused + 1);
    expect(job.attemptsStarted).toBeGreaterThan(1);
  });
});
