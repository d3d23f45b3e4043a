import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { DailyEvaluation, EvaluationRequests } from '../../libs/evaluation/src';
import { addRuns, createRunner } from '../../libs/evaluation/test/seed';
import { AlertEntity, UserEntity } from '../../libs/persistence/src';
import { JobQueue } from '../../libs/queue/src';
import { Stack, startStack } from '../support/stack';
import { waitFor } from '../support/wait';

const TIMEZONE = 'Europe/Oslo';

/** A runner who, as of now, just ran 45 km in six days after four 30 km weeks, the last run a 14 km long run (their longest was 10 km). */
async function runnerWithBigWeekUntilYesterday(dataSource: DataSource): Promise<UserEntity> {
  const user = await createRunner(dataSource, { timezone: TIMEZONE, lastSyncedAt: new Date() });
  const today = DateTime.now().setZone(TIMEZONE).toISODate()!;
  const day = (offset: number) => DateTime.fromISO(today).plus({ days: offset }).toISODate()!;
  await addRuns(dataSource, user, day(-34), 28, [7, 0, 7, 0, 6, 0, 10]);
  await addRuns(dataSource, user, day(-6), 6, [10, 0, 10, 11, 0, 14]);
  return user;
}

describe('the evaluate queue in the real worker', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ worker: true });
  });

  afterAll(() => stack?.stop());

  const openAlert = (user: UserEntity, rule = 'single-run-spike' as const) =>
    stack.db.getRepository(AlertEntity).findOne({ where: { userId: user.id, state: 'open', rule } });

  it('evaluates a runner through Redis and records the email to send', async () => {
    const user = await runnerWithBigWeekUntilYesterday(stack.db);
    await stack.worker.get(EvaluationRequests).request(user.id, 'runs');
    const alert = await waitFor('the alert', () => openAlert(user));
    const weekly = await stack.db.getRepository(AlertEntity).findOneByOrFail({ userId: user.id, rule: 'weekly-increase' });
    // The spike leads the email; the week's increase rides along under "also this week".
    expect(alert).toMatchObject({ severity: 'caution', notifyRequestedSeverity: 'caution', notifyAlso: [weekly.id] });
    expect(alert.notifyRequestedAt).toBeInstanceOf(Date);
    expect(weekly.notifyRequestedAt).toBeNull();

    const queue = stack.worker.get(JobQueue).queue('evaluate');
    const job = await waitFor('the completed job', async () =>
      (await queue.getCompleted()).find((completed) => completed.data.userId === user.id),
    );
    expect(job.data).toEqual({ userId: user.id, reason: 'runs' });
    expect(job.returnvalue).toMatchObject({ userId: user.id, alertIdsToNotify: [alert.id] });
    // then the worker stored the runner's team-page figures for both kinds of viewer, current
    const stored: { include_strava: boolean; current: boolean; last7: number }[] = await stack.db.query(
      `SELECT s.include_strava, s.version = v.version AS current, (s.summary -> 'summary' ->> 'last7DaysM')::float AS last7
         FROM runner_load_summaries s JOIN runner_load_versions v USING (user_id) WHERE s.user_id = $1 ORDER BY s.include_strava`,
      [user.id],
    );
    expect(stored).toEqual([
      { include_strava: false, current: true, last7: 45_000 },
      { include_strava: true, current: true, last7: 45_000 },
    ]);
  }, 90_000);

  it('schedules the daily fan-out once per day and evaluates every active runner', async () => {
    const user = await runnerWithBigWeekUntilYesterday(stack.db);
    const daily = stack.worker.get(DailyEvaluation);
    const now = new Date();
    const [day] = await Promise.all([daily.scheduleFor(now), daily.scheduleFor(now), daily.scheduleFor(now)]);
    const alert = await waitFor('the alert from the daily evaluation', () => openAlert(user));
    expect(alert.rule).toBe('single-run-spike');
    const fanOut = stack.worker.get(JobQueue).queue('evaluate-daily');
    const jobs = await fanOut.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']);
    expect(jobs.filter((job) => job.data.day === day).map((job) => job.id)).toEqual([`evaluate-daily-${day}`]);
  }, 90_000);
});
