import { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AlertEntity, PainReportsRepository, RunsRepository, ShoesRepository, UserEntity } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { addPain, addRun, addRuns, addShoe, createRunner, endOfLocalDay, localInstant } from '../test/seed';
import { EvaluationModule } from './evaluation.module';
import { EvaluationService } from './evaluation.service';
import { loadRunnerHistory } from './runner-history';
import { integrationModule } from '../../../test/support/integration-module';

const OSLO = 'Europe/Oslo';
const STEADY_WEEK = [7, 0, 7, 0, 6, 0, 10];
// The week after four steady ones: 42 km, longest run 11 km (exactly 1.10 × the previous longest, so not a spike).
const BIG_WEEK = [10, 0, 10, 0, 11, 0, 11];
// The same 42 km, with a 14 km long run on Sunday: 40 % longer than the longest of the 30 days before.
const SPIKE_WEEK = [10, 0, 9, 0, 9, 0, 14];

describe('EvaluationService against PostgreSQL', () => {
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let service: EvaluationService;

  beforeAll(async () => {
    app = await integrationModule([QueueModule, EvaluationModule]);
    dataSource = app.get(DataSource);
    service = app.get(EvaluationService);
  });

  afterAll(() => app.close());

  const alertsOf = (user: UserEntity) =>
    dataSource.getRepository(AlertEntity).find({ where: { userId: user.id }, order: { firstSeenAt: 'ASC', rule: 'ASC' } });
  const syncedAt = (user: UserEntity, date: string) =>
    dataSource.getRepository(UserEntity).update(user.id, { lastSyncedAt: endOfLocalDay(date, user.timezone) });

  /** Four steady weeks from Monday 2024-01-01, then a 42 km week ending Sunday 2024-02-04. */
  async function runnerWithBigWeek(spec: Parameters<typeof createRunner>[1] = {}, week = BIG_WEEK) {
    const user = await createRunner(dataSource, { timezone: OSLO, ...spec });
    await addRuns(dataSource, user, '2024-01-01', 28, STEADY_WEEK);
    await addRuns(dataSource, user, '2024-01-29', 7, week);
    await syncedAt(user, '2024-02-04');
    return user;
  }

  it('opens the alert of a weak signal without an email, keeps it open while it holds, and resolves it when clear', async () => {
    const user = await runnerWithBigWeek();
    const first = await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    const [alert] = await alertsOf(user);
    expect(alert).toMatchObject({
      rule: 'weekly-increase',
      severity: 'caution',
      dedupeKey: 'load',
      state: 'open',
      facts: { acuteM: 42000, baselineWeeklyM: 30000, ratio: 1.4, windowEnd: '2024-02-04' },
      notifyRequestedAt: null,
      coveredAt: null,
      notifiedAt: null,
    });
    expect(alert.message).toMatchObject({
      headline: expect.stringMatching(/^You ran 42 km in the last 7 days, 40 % more/),
      disclaimer: expect.stringMatching(/not medical advice/),
    });
    expect(first).toEqual({
      userId: user.id,
      evaluatedAt: endOfLocalDay('2024-02-04', OSLO),
      alertIdsToNotify: [],
      opened: [alert.id],
      refreshed: [],
      resolved: [],
    });

    // Three days on, nothing synced since Sunday: the unsynced days are unknown, the condition still holds.
    const again = await service.evaluate(user.id, endOfLocalDay('2024-02-07', OSLO));
    expect(again).toMatchObject({ alertIdsToNotify: [], opened: [], refreshed: [alert.id], resolved: [] });

    // Eight days without a sync: the rule cannot judge, so the alert stays open, unsent.
    const stale = await service.evaluate(user.id, endOfLocalDay('2024-02-12', OSLO));
    expect(stale).toMatchObject({ alertIdsToNotify: [], opened: [], refreshed: [], resolved: [] });

    // Synced through the 12th with no runs: a real rest week, the condition clears.
    await syncedAt(user, '2024-02-12');
    const cleared = await service.evaluate(user.id, endOfLocalDay('2024-02-12', OSLO));
    expect(cleared.resolved).toEqual([alert.id]);
    expect(await alertsOf(user)).toEqual([
      expect.objectContaining({ id: alert.id, state: 'resolved', resolvedAt: endOfLocalDay('2024-02-12', OSLO) }),
    ]);
  });

  it('sends one email for a spike week with a weekly increase: led by the spike, carrying the increase, once', async () => {
    const user = await runnerWithBigWeek({}, SPIKE_WEEK);
    const sunday = await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    const [weekly, spike] = await alertsOf(user).then((alerts) => [
      alerts.find((alert) => alert.rule === 'weekly-increase')!,
      alerts.find((alert) => alert.rule === 'single-run-spike')!,
    ]);
    expect(sunday.alertIdsToNotify).toEqual([spike.id]);
    expect(spike).toMatchObject({
      notifyRequestedAt: endOfLocalDay('2024-02-04', OSLO),
      notifyRequestedSeverity: 'caution',
      notifyAlso: [weekly.id],
      coveredAt: endOfLocalDay('2024-02-04', OSLO),
      coveredSeverity: 'caution',
    });
    expect(weekly).toMatchObject({ notifyRequestedAt: null, coveredAt: endOfLocalDay('2024-02-04', OSLO), coveredSeverity: 'caution' });
    // Nothing new the next days: no more emails about that week.
    await syncedAt(user, '2024-02-06');
    expect((await service.evaluate(user.id, endOfLocalDay('2024-02-06', OSLO))).alertIdsToNotify).toEqual([]);
  });

  it('emails a weak signal by itself once it has held for three weeks', async () => {
    const user = await createRunner(dataSource, { timezone: OSLO });
    await addRuns(dataSource, user, '2024-01-01', 28, STEADY_WEEK);
    // A steep build of more and more runs, none longer than the 10 km long run (so no spike): 40, 48, 58 and 70 km.
    await addRuns(dataSource, user, '2024-01-29', 7, [8, 0, 8, 0, 8, 8, 8]);
    await addRuns(dataSource, user, '2024-02-05', 7, [8, 8, 8, 0, 8, 8, 8]);
    await addRuns(dataSource, user, '2024-02-12', 7, [9, 9, 9, 0, 9, 11, 11]);
    await addRuns(dataSource, user, '2024-02-19', 7, [10, 10, 10, 10, 10, 10, 10]);
    await syncedAt(user, '2024-02-25');
    const requests: string[] = [];
    for (let day = 0; day < 28; day++) {
      const date = DateTime.fromISO('2024-01-29').plus({ days: day }).toISODate()!;
      if ((await service.evaluate(user.id, endOfLocalDay(date, OSLO))).alertIdsToNotify.length) requests.push(date);
    }
    const weekly = (await alertsOf(user)).find((alert) => alert.rule === 'weekly-increase')!;
    expect(weekly.state).toBe('open');
    const opened = DateTime.fromJSDate(weekly.firstSeenAt, { zone: OSLO });
    expect(requests).toEqual([opened.plus({ days: 21 }).toISODate()]);
    expect(weekly.notifyRequestedAt).toEqual(endOfLocalDay(requests[0], OSLO));
  });

  it('asks for no email when the runner chose the weekly summary only, and only the strongest warnings for "strongest"', async () => {
    const none = await runnerWithBigWeek({ alertEmails: 'none' }, SPIKE_WEEK);
    expect((await service.evaluate(none.id, endOfLocalDay('2024-02-04', OSLO))).alertIdsToNotify).toEqual([]);
    expect((await alertsOf(none)).map((alert) => [alert.rule, alert.state, alert.coveredAt])).toEqual([
      ['single-run-spike', 'open', null],
      ['weekly-increase', 'open', null],
    ]);
    const strongest = await runnerWithBigWeek({ alertEmails: 'strongest' }, SPIKE_WEEK);
    expect((await service.evaluate(strongest.id, endOfLocalDay('2024-02-04', OSLO))).alertIdsToNotify).toEqual([]);
  });

  it('emails again when the severity rises, even the same day', async () => {
    const user = await createRunner(dataSource, { timezone: OSLO });
    await addRuns(dataSource, user, '2024-03-04', 28, STEADY_WEEK);
    const monday = await addRun(dataSource, user, '2024-04-01', 7);
    const wednesday = await addRun(dataSource, user, '2024-04-03', 7);
    await addPain(dataSource, monday, 'lateral_knee', 6500);
    await addPain(dataSource, wednesday, 'lateral_knee', 5000);
    const warning = await service.evaluate(user.id, localInstant('2024-04-03', OSLO, '12:00'));
    const [alert] = await alertsOf(user);
    expect(alert).toMatchObject({ rule: 'pain-earlier', severity: 'warning', dedupeKey: 'pain-lateral_knee' });
    expect(warning.alertIdsToNotify).toEqual([alert.id]);

    const evening = await addRun(dataSource, user, '2024-04-03', 4, { time: '18:00' });
    await addPain(dataSource, evening, 'lateral_knee', 1500);
    const high = await service.evaluate(user.id, localInstant('2024-04-03', OSLO, '21:00'));
    expect(high.alertIdsToNotify).toEqual([alert.id]);
    expect(await alertsOf(user)).toEqual([expect.objectContaining({ id: alert.id, severity: 'high', notifyRequestedSeverity: 'high' })]);
  });

  it('sends at most one alert email a day: a strong signal later that day waits for the next', async () => {
    const user = await createRunner(dataSource, { timezone: OSLO });
    const shoe = await addShoe(dataSource, user, { reportedDistanceM: 780_000, reportedAt: localInstant('2024-01-28', OSLO) });
    await addRuns(dataSource, user, '2024-01-01', 28, STEADY_WEEK);
    await addRuns(dataSource, user, '2024-01-29', 6, BIG_WEEK, { shoeId: shoe.id });
    await syncedAt(user, '2024-02-03');
    const saturday = await service.evaluate(user.id, localInstant('2024-02-03', OSLO, '12:00'));
    const [shoes] = await alertsOf(user);
    expect(shoes).toMatchObject({ rule: 'worn-shoes', severity: 'warning', facts: { distanceM: 811000, distanceIsLowerBound: false } });
    expect(saturday.alertIdsToNotify).toEqual([shoes.id]);

    const spikeRun = await addRun(dataSource, user, '2024-02-03', 15, { time: '18:00' });
    await syncedAt(user, '2024-02-04');
    const evening = await service.evaluate(user.id, localInstant('2024-02-03', OSLO, '21:00'));
    const spike = (await alertsOf(user)).find((alert) => alert.rule === 'single-run-spike')!;
    expect(spike.facts.runId).toBe(spikeRun.id);
    expect(evening.alertIdsToNotify).toEqual([]);
    const sunday = await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    expect(sunday.alertIdsToNotify).toEqual([spike.id]);
  });

  it('keeps one open alert per episode when evaluations of a runner race', async () => {
    const user = await runnerWithBigWeek({}, SPIKE_WEEK);
    const asOf = endOfLocalDay('2024-02-04', OSLO);
    const outcomes = await Promise.all([1, 2, 3].map(() => service.evaluate(user.id, asOf)));
    expect(outcomes.flatMap((outcome) => outcome.alertIdsToNotify)).toHaveLength(1);
    expect(await alertsOf(user)).toHaveLength(2);
  });

  it('leaves out an activity the runner marked "not a run": the spike it made resolves, and comes back when they take it back', async () => {
    const user = await runnerWithBigWeek({}, SPIKE_WEEK);
    await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    const spike = (await alertsOf(user)).find((alert) => alert.rule === 'single-run-spike')!;
    const runs = app.get(RunsRepository);
    const sunday = (await runs.runsInWindow(user.id, localInstant('2024-02-04', OSLO, '00:00'), endOfLocalDay('2024-02-04', OSLO)))[0];
    await runs.markNotARun(user.id, sunday.id, true);
    const excluded = await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    expect(excluded.resolved).toContain(spike.id);
    await runs.markNotARun(user.id, sunday.id, false);
    await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    expect((await alertsOf(user)).filter((alert) => alert.rule === 'single-run-spike' && alert.state === 'open')).toHaveLength(1);
  });

  it('ignores rides and walks, uses the defaults when stored thresholds no longer validate, and skips an unknown user', async () => {
    const user = await createRunner(dataSource, { timezone: OSLO, ruleThresholds: { 'weekly-increase': { caution: 'high' } } });
    await addRuns(dataSource, user, '2024-01-01', 28, STEADY_WEEK);
    await addRuns(dataSource, user, '2024-01-29', 7, [0, 60, 0, 60, 0, 60, 0], { sport: 'ride' });
    await addRuns(dataSource, user, '2024-01-29', 7, BIG_WEEK);
    await syncedAt(user, '2024-02-04');
    await service.evaluate(user.id, endOfLocalDay('2024-02-04', OSLO));
    expect((await alertsOf(user)).map((alert) => [alert.rule, alert.facts.acuteM])).toEqual([['weekly-increase', 42000]]);
    await expect(service.evaluate('00000000-0000-4000-8000-000000000000')).resolves.toMatchObject({
      skipped: 'user not found',
      alertIdsToNotify: [],
    });
  });

  describe('loadRunnerHistory', () => {
    const repositories = () => ({
      runs: app.get(RunsRepository),
      painReports: app.get(PainReportsRepository),
      shoes: app.get(ShoesRepository),
    });

    it('reads only the evaluation window of a 10-year history, plus when the history began', async () => {
      const user = await createRunner(dataSource, { timezone: OSLO });
      const rows = Array.from({ length: 520 }, (_, week) => ({
        userId: user.id,
        source: 'fit' as const,
        externalId: `w${week}`,
        sport: 'run' as const,
        isRun: true,
        startUtc: new Date(Date.UTC(2014, 0, 5 + week * 7, 8)),
        utcOffsetS: 3600,
        distanceM: 10_000,
      }));
      await dataSource.getRepository('RunEntity').insert(rows);
      const since = localInstant('2023-10-01', OSLO, '00:00');
      const history = await loadRunnerHistory(repositories(), user.id, since, localInstant('2023-12-24', OSLO, '00:00'));
      expect(history.historyStart).toEqual(new Date(Date.UTC(2014, 0, 5, 8)));
      expect(history.runs.length).toBe(12);
      expect(history.runs.every((run) => run.startUtc >= since)).toBe(true);
    });

    it('gives each shoe its distance as of the evaluation: reported distance plus later runs, starting distance plus runs, or a lower bound', async () => {
      const user = await createRunner(dataSource, { timezone: OSLO });
      const reported = await addShoe(dataSource, user, {
        name: 'Reported',
        reportedDistanceM: 500_000,
        reportedAt: localInstant('2024-05-10', OSLO, '12:00'),
      });
      // Gear named in an export archive: what it carried before is unknown.
      const unknown = await addShoe(dataSource, user, { name: 'Unknown', source: 'import' });
      const added = await addShoe(dataSource, user, { name: 'Added here', startingDistanceM: 300_000 });
      await addRun(dataSource, user, '2024-05-09', 10, { shoeId: reported.id });
      await addRun(dataSource, user, '2024-05-11', 12, { shoeId: reported.id });
      await addRun(dataSource, user, '2024-05-12', 5, { shoeId: reported.id, sport: 'walk' });
      await addRun(dataSource, user, '2024-05-20', 8, { shoeId: reported.id });
      await addRuns(dataSource, user, '2024-05-01', 10, [6], { shoeId: unknown.id });
      await addRun(dataSource, user, '2024-05-02', 7, { shoeId: added.id });
      const history = await loadRunnerHistory(repositories(), user.id, localInstant('2024-03-01', OSLO), endOfLocalDay('2024-05-15', OSLO));
      const byName = Object.fromEntries(history.shoes.map((shoe) => [shoe.name, shoe]));
      expect(byName.Reported).toMatchObject({ distanceM: 517_000, distanceIsLowerBound: false });
      expect(byName.Unknown).toMatchObject({ distanceM: 60_000, distanceIsLowerBound: true });
      expect(byName['Added here']).toMatchObject({ distanceM: 307_000, distanceIsLowerBound: false });
      // Evaluated before the shoe's distance was read, its later runs come off the reported figure.
      const earlier = await loadRunnerHistory(repositories(), user.id, localInstant('2024-03-01', OSLO), endOfLocalDay('2024-05-09', OSLO));
      expect(earlier.shoes.find((shoe) => shoe.name === 'Reported')).toMatchObject({ distanceM: 500_000 });
    });
  });
});
