import { RunEdits, RunIngestService } from '../../libs/ingest/src';
import { StravaEventHandler, StravaReconciliation, StravaWebhookInbox } from '../../libs/strava/src';
import { startCompiled } from '../support/processes';
import { connectNewAthlete, errorMessage, evaluationJobs, startStravaStack, StravaStack } from '../support/strava-stack';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);
describe('Strava webhooks (subscription, events, deauthorization)', () => {
  let stack: StravaStack;
  let nextAthlete = 800_000 + Math.floor(Math.random() * 100_000);

  const cli = async (...args: string[]) => startCompiled('dist/apps/cli/src/main.js', args, stack.env).finished;

  /** A connected athlete whose (empty) backfill is done. */
  const connectedAthlete = () => connectNewAthlete(stack, nextAthlete++);

  const runOf = async (userId: string, activityId: number) =>
    (
      await stack.db.query(
        `SELECT r.* FROM runs r JOIN run_sources s ON s.run_id = r.id WHERE s.user_id = $1 AND s.source = 'strava' AND s.external_id = $2`,
        [userId, String(activityId)],
      )
    )[0];
  // The inbox row is marked after the run has committed, so a test that has seen the run waits for the mark.
  const settledInbox = async (activityId: number) => {
    await waitFor('the event to settle', async () =>
      (await inboxFor(activityId)).every((row: { status: string }) => row.status !== 'pending'),
    );
    return inboxFor(activityId);
  };

  const inboxFor = async (activityId: number) =>
    stack.db.query(
      `SELECT status, error FROM webhook_events WHERE provider = 'strava' AND payload->>'object_id' = $1 ORDER BY received_at, id`,
      [String(activityId)],
    );

  beforeAll(async () => {
    // An app with a raised limit (Strava grants them): these tests are about flows, not budgets.
    stack = await startStravaStack({
      subscribe: false,
      fake: { limits: { short: 6000, readShort: 3000, daily: 60_000, readDaily: 30_000 } },
    });
  });

  afterAll(() => stack?.stop());

  it('`deload strava:subscribe` creates the push subscription after Strava’s challenge; `strava:subscriptions` lists it', async () => {
    const subscribed = await cli('strava:subscribe');
    expect(subscribed.stderr).toBe('');
    expect(subscribed.code).toBe(0);
    expect(stack.fake.subscription).toMatchObject({ callback_url: `${stack.url}/webhooks/strava`, verify_token: 'fake-verify-token' });
    expect(subscribed.stdout).toContain(`subscription ${stack.fake.subscription!.id} delivers events to ${stack.url}/webhooks/strava`);

    const again = await cli('strava:subscribe');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a push subscription/);

    const listed = await cli('strava:subscriptions');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(`${stack.fake.subscription!.id}\t${stack.url}/webhooks/strava\tin use\n`);
  });

  it('answers the challenge only with the right verify token', async () => {
    const challenge = (token: string) =>
      fetch(`${stack.url}/webhooks/strava?hub.mode=subscribe&hub.challenge=abc123&hub.verify_token=${token}`);
    const good = await challenge('fake-verify-token');
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ 'hub.challenge': 'abc123' });
    expect((await challenge('guess')).status).toBe(403);
  });

  it('answers events of an unknown subscription like any other but drops them; refuses bodies that are not events', async () => {
    const { athleteId } = await connectedAthlete();
    const post = (body: unknown) =>
      fetch(`${stack.url}/webhooks/strava`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const forged = await post({ ...stack.fake.event(athleteId, 'activity', 4242, 'create'), subscription_id: 1 });
    expect(forged.status).toBe(200);
    expect(await forged.json()).toEqual({ received: true });
    expect(await inboxFor(4242)).toEqual([]);
    const garbage = await post({ hello: 'world' });
    expect(garbage.status).toBe(400);
    expect(await errorMessage(garbage)).toMatch(/not a Strava event/);
  });

  it('create → the activity is fetched (with its new shoe), stored as a run, and the runner’s evaluation queued', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const { finished: before } = await waitFor('the evaluation after the backfill', async () => {
      const jobs = await evaluationJobs(stack, userId);
      return jobs.open.length === 0 && jobs.finished.length > 0 && jobs;
    });
    stack.fake.addGear(athleteId, { id: 'g31', name: 'Novablast 4', distance: 120_000, notification_distance: 650 });
    const activity = await stack.fake.activityCreated(athleteId, {
      distance: 12_345,
      gear_id: 'g31',
      description: 'left knee at 9k',
      perceived_exertion: 5,
    });
    expect(stack.fake.deliveries.at(-1)?.status).toBe(200);
    const run = await waitFor('the run', () => runOf(userId, activity.id));
    expect(run).toMatchObject({
      distance_m: 12_345,
      description: 'left knee at 9k',
      perceived_exertion: 5,
      avg_cadence_spm: 168,
      is_run: true,
    });
    const [shoe] = await stack.db.query(`SELECT id, name, retire_threshold_m FROM shoes WHERE user_id = $1 AND external_id = 'g31'`, [
      userId,
    ]);
    expect(shoe).toMatchObject({ name: 'Novablast 4', retire_threshold_m: 650_000 });
    expect(run.shoe_id).toBe(shoe.id);
    expect(await settledInbox(activity.id)).toEqual([{ status: 'processed', error: null }]);
    await waitFor('an evaluate job for the new run', async () => {
      const { finished, open } = await evaluationJobs(stack, userId);
      return [...finished, ...open].some((id) => !before.includes(id));
    });
  });

  it('the daily reconciliation fetches an activity whose webhook never came, once', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const lost = stack.fake.addActivity(athleteId, { distance: 8_765 }); // on Strava, but no event reached us
    const reconciliation = stack.worker.get(StravaReconciliation);
    expect(await reconciliation.reconcile(userId)).toEqual({ listed: 1, missing: 1 });
    expect(await waitFor('the reconciled run', () => runOf(userId, lost.id))).toMatchObject({ distance_m: 8_765 });
    expect(await settledInbox(lost.id)).toEqual([{ status: 'processed', error: null }]);
    expect(await reconciliation.reconcile(userId)).toEqual({ listed: 1, missing: 0 });
  });

  it('keeps an event pending when Strava fails past the job’s own retries, and stores the run once Strava answers', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const activity = stack.fake.addActivity(athleteId);
    const [{ id: eventId }] = await stack.db.query(
      `INSERT INTO webhook_events (provider, dedupe_key, payload) VALUES ('strava', $1, $2) RETURNING id`,
      [`outage-${activity.id}`, stack.fake.event(athleteId, 'activity', activity.id, 'create')],
    );
    stack.fake.failNext('GET /api/v3/activities/{id}', 1);
    // The job's last attempt (as after eight failures over ~8 minutes) fails too.
    await expect(stack.worker.get(StravaEventHandler).handle(eventId, true)).rejects.toThrow();
    const [waiting] = await stack.db.query(`SELECT status, attempts, retry_at > now() AS later FROM webhook_events WHERE id = $1`, [
      eventId,
    ]);
    expect(waiting).toEqual({ status: 'pending', attempts: 1, later: true });
    await stack.db.query(`UPDATE webhook_events SET retry_at = now() - interval '1 second' WHERE id = $1`, [eventId]);
    await stack.api.get(StravaWebhookInbox).requeuePending();
    expect(await waitFor('the run once Strava answers', () => runOf(userId, activity.id))).toBeDefined();
    expect(await settledInbox(activity.id)).toEqual([{ status: 'processed', error: null }]);
  });

  it('retries with backoff when Strava fails to answer, and then stores the run', async () => {
    const { athleteId, userId } = await connectedAthlete();
    stack.fake.failNext('GET /api/v3/activities/{id}', 1);
    const activity = await stack.fake.activityCreated(athleteId);
    await waitFor('the run after a retry', () => runOf(userId, activity.id));
    expect(await settledInbox(activity.id)).toEqual([{ status: 'processed', error: null }]);
  });

  it('a duplicate delivery (Strava’s retry, also at the same moment) is one job and one run', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const activity = stack.fake.addActivity(athleteId);
    const event = stack.fake.event(athleteId, 'activity', activity.id, 'create');
    const statuses = await Promise.all([stack.fake.deliver(event), stack.fake.deliver(event), stack.fake.deliver(event)]);
    expect(statuses).toEqual([200, 200, 200]);
    await stack.fake.deliver(event);
    await waitFor('the run', () => runOf(userId, activity.id));
    const rows = await inboxFor(activity.id);
    expect(rows).toHaveLength(1);
    await waitFor('the event to settle', async () => (await inboxFor(activity.id))[0].status === 'processed');
    expect(stack.fake.count('GET /api/v3/activities/{id}')).toBeGreaterThan(0);
    const [{ count }] = await stack.db.query(`SELECT count(*) FROM run_sources WHERE user_id = $1`, [userId]);
    expect(Number(count)).toBe(1);
  });

  it('update → the run follows (title, and a type change to a ride); delete → the run is gone', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const activity = await stack.fake.activityCreated(athleteId, { name: 'Lunch Run' });
    await waitFor('the run', () => runOf(userId, activity.id));
    await stack.fake.activityUpdated(athleteId, activity.id, { name: 'Hill repeats' }, { title: 'Hill repeats' });
    await waitFor('the new title', async () => (await runOf(userId, activity.id))?.name === 'Hill repeats');
    await stack.fake.activityUpdated(athleteId, activity.id, { sport_type: 'Ride', average_cadence: 85 }, { type: 'Ride' });
    await waitFor('the type change', async () => (await runOf(userId, activity.id))?.is_run === false);
    expect((await runOf(userId, activity.id)).sport).toBe('ride');

    await stack.fake.activityDeleted(athleteId, activity.id);
    await waitFor('the run to go', async () => !(await runOf(userId, activity.id)));
    const [{ count }] = await stack.db.query(`SELECT count(*) FROM runs WHERE user_id = $1`, [userId]);
    expect(Number(count)).toBe(0);
  });

  it('a run the runner deleted does not come back: not with an update event (not even fetched), nor with the reconciliation', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const activity = await stack.fake.activityCreated(athleteId, { name: 'Commute, not a run' });
    const run = await waitFor('the run', () => runOf(userId, activity.id));
    await settledInbox(activity.id);
    await stack.api.get(RunEdits).deleteRun(userId, run.id);
    const requestsBefore = stack.fake.apiRequestCount();
    await stack.fake.activityUpdated(athleteId, activity.id, { name: 'Renamed on Strava' }, { title: 'Renamed on Strava' });
    await waitFor('the update to settle', async () => (await inboxFor(activity.id)).length === 2 && (await settledInbox(activity.id)));
    expect(await inboxFor(activity.id)).toEqual([
      { status: 'processed', error: null },
      { status: 'ignored', error: 'the runner deleted this run: its activity is not stored again' },
    ]);
    expect(await runOf(userId, activity.id)).toBeUndefined();
    expect(stack.fake.apiRequestCount()).toBe(requestsBefore); // not even fetched
    expect(await stack.worker.get(StravaReconciliation).reconcile(userId)).toEqual({ listed: 1, missing: 0 });
  });

  it('deleting a Strava activity keeps the run when it was also uploaded as a FIT file', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const activity = await stack.fake.activityCreated(athleteId, { distance: 8000 });
    const stravaRun = await waitFor('the run', () => runOf(userId, activity.id));
    await stack.api.get(RunIngestService).upsertRuns(userId, [
      {
        source: 'fit',
        externalId: `fit-${activity.id}`,
        sport: 'run',
        startUtc: new Date(Date.parse(activity.start_date) + 20_000),
        utcOffsetS: 3600,
        distanceM: 8050,
      },
    ]);
    await stack.fake.activityDeleted(athleteId, activity.id);
    await waitFor('the delete', async () => (await inboxFor(activity.id)).every((row: { status: string }) => row.status === 'processed'));
    const runs = await stack.db.query(
      `SELECT r.id, array_agg(s.source) AS sources FROM runs r JOIN run_sources s ON s.run_id = r.id WHERE r.user_id = $1 GROUP BY r.id`,
      [userId],
    );
    expect(runs).toEqual([{ id: stravaRun.id, sources: ['fit'] }]);
  });

  it('refreshes an expired token (rotating the refresh token) before fetching', async () => {
    const { athleteId, userId } = await connectedAthlete();
    const [before] = await stack.db.query(`SELECT refresh_token_enc FROM strava_connections WHERE user_id = $1`, [userId]);
    await stack.db.query(`UPDATE strava_connections SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [userId]);
    stack.fake.expireAccessTokens(athleteId);
    const refreshes = stack.fake.count('POST /oauth/token');
    const activity = await stack.fake.activityCreated(athleteId);
    await waitFor('the run', () => runOf(userId, activity.id));
    expect(stack.fake.count('POST /oauth/token')).toBe(refreshes + 1);
    const [after] = await stack.db.query(`SELECT refresh_token_enc, expires_at FROM strava_connections WHERE user_id = $1`, [userId]);
    expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc);
    expect(after.expires_at.getTime()).toBeGreaterThan(Date.now() + 5 * 3600_000);
  });

  it('deauthorization ("authorized": "false") deletes the tokens and the Strava data, keeping FIT runs', async () => {
    const { athleteId, userId } = await connectedAthlete();
    stack.fake.addGear(athleteId, { id: 'g77', name: 'Kinvara', distance: 50_000 });
    const activity = await stack.fake.activityCreated(athleteId, { gear_id: 'g77' });
    await waitFor('the run', () => runOf(userId, activity.id));
    await stack.api.get(RunIngestService).upsertRuns(userId, [
      {
        source: 'fit',
        externalId: 'fit-other-day',
        sport: 'run',
        startUtc: new Date(Date.now() - 5 * 86_400_000),
        utcOffsetS: 0,
        distanceM: 5000,
      },
    ]);
    await stack.fake.athleteDeauthorized(athleteId);
    await waitFor(
      'the tokens to go',
      async () => !(await stack.db.query(`SELECT 1 FROM strava_connections WHERE user_id = $1`, [userId]))[0],
    );
    const sources = await stack.db.query(`SELECT s.source FROM runs r JOIN run_sources s ON s.run_id = r.id WHERE r.user_id = $1`, [
      userId,
    ]);
    expect(sources).toEqual([{ source: 'fit' }]);
    expect(await stack.db.query(`SELECT 1 FROM shoes WHERE user_id = $1 AND source = 'strava'`, [userId])).toEqual([]);

    const later = await stack.fake.deliver(stack.fake.event(athleteId, 'activity', activity.id, 'update', { title: 'x' }));
    expect(later).toBe(200);
    await waitFor('the late event to be ignored', async () =>
      (await inboxFor(activity.id)).some((row: { error: string }) => /not connected/.test(row.error ?? '')),
    );
  });

  it('`deload strava:unsubscribe` deletes the subscription at Strava and on record', async () => {
    const id = stack.fake.subscription!.id;
    const removed = await cli('strava:unsubscribe');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`deleted Strava push subscription ${id}\n`);
    expect(stack.fake.subscription).toBeUndefined();
    expect(await stack.db.query(`SELECT id FROM strava_push_subscriptions WHERE id = $1`, [id])).toEqual([]);
    expect((await cli('strava:subscriptions')).stdout).toMatch(/^no push subscription/);
    const again = await cli('strava:unsubscribe');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no push subscription on record/);
  });
});
