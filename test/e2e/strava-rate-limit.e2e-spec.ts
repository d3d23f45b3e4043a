import { stravaEventJobId } from '../../libs/strava/src';
import { backfilledConnection, connectThroughRedirects, startStravaStack, StravaStack } from '../support/strava-stack';
import { waitFor } from '../support/wait';

/**
 * Strava's windows are 15 minutes; here both the fake and the worker use 3-second windows (the
 * same code, shorter constants) so a storm of 429s and the recovery fit in a test.
 */

jest.setTimeout(90_000);
describe('Strava rate limits: a 429 storm delays jobs, nothing is lost', () => {
  let stack: StravaStack;
  const windows = { shortMs: 3000, dailyMs: 24 * 3600_000 };

  beforeAll(async () => {
    stack = await startStravaStack({ windows, fake: { limits: { short: 16, readShort: 8, daily: 20_000, readDaily: 10_000 } } });
  });

  afterAll(() => stack?.stop());

  it('holds back after a 429, resumes in the next windows and stores every run once', async () => {
    const athleteId = 900_000 + Math.floor(Math.random() * 50_000);
    stack.fake.addAthlete({ id: athleteId });
    await connectThroughRedirects(stack, athleteId);
    const { user_id: userId } = await backfilledConnection(stack, athleteId);
    stack.fake.resetCounters();
    stack.fake.exhaustShortWindow();

    for (let i = 0; i < 30; i++)
      await stack.fake.activityCreated(athleteId, { start_date: new Date(Date.now() - (i + 1) * 3600_000).toISOString() });
    expect(stack.fake.deliveries.every((delivery) => delivery.status === 200)).toBe(true);

    const queue = stack.queue('strava-event');
    // This athlete's jobs (the job id comes from the inbox row, written before the delivery was
    // answered), not the queue's totals: the worker's inbox sweep (cron, every 5 minutes) also
    // queues old pending events that other test files left in the shared database.
    const eventIds: string[] = (
      await stack.db.query(`SELECT id FROM webhook_events WHERE provider = 'strava' AND payload->>'owner_id' = $1`, [String(athleteId)])
    ).map((row: { id: string }) => row.id);
    expect(eventIds).toHaveLength(30);
    // A job completes after its run is stored and its inbox row settled, so this waits for the last write.
    const jobsNow = () => Promise.all(eventIds.map((id) => queue.getJob(stravaEventJobId(id))));
    await waitFor(
      'all 30 jobs to complete',
      async () => (await Promise.all((await jobsNow()).map((job) => job?.getState()))).every((state) => state === 'completed'),
      60_000,
    );
    // Read again once all are completed: a job read while it was still running shows its attempts before it ended.
    const completed = (await jobsNow()).map((job) => job!);
    const stored = await stack.db.query(`SELECT count(*)::int AS n FROM run_sources WHERE user_id = $1 AND source = 'strava'`, [userId]);
    expect(stored).toEqual([{ n: 30 }]);
    const statuses = await stack.db.query(
      `SELECT status, count(*)::int AS n FROM webhook_events WHERE provider = 'strava' AND payload->>'owner_id' = $1 GROUP BY status`,
      [String(athleteId)],
    );
    expect(statuses).toEqual([{ status: 'processed', n: 30 }]);

    expect(stack.fake.refused).toBeGreaterThan(0);
    // Once Strava said no, nobody asked again until the window had rolled over: a handful of 429s, not a storm of retries.
    expect(stack.fake.refused).toBeLessThanOrEqual(8);
    expect(stack.fake.count('GET /api/v3/activities/{id}')).toBe(30 + stack.fake.refused);
    // Jobs were started again after waiting, but waiting used up no attempt (1 = the one that completed), and none failed one.
    expect(completed.map((job) => [job.attemptsMade, job.stacktrace])).toEqual(completed.map(() => [1, []]));
    expect(Math.max(...completed.map((job) => job.attemptsStarted ?? 0))).toBeGreaterThan(1);
  });
});
