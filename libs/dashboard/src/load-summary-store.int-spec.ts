import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthModule } from '@deload/auth';
import { RunEntity, UserEntity } from '@deload/persistence';
import { LocalCalendar } from '@deload/rules';
import { TeamsService } from '@deload/teams';
import { UsersService } from '@deload/users';
import { integrationModule } from '../../../test/support/integration-module';
import { uniqueEmail } from '../../../test/support/sessions';
import { TrainingData } from '../../../test/support/training-data';
import { DashboardModule } from './dashboard.module';
import { loadSummary, LoadSummary } from './load-summary';
import { latestPain } from './pain-trend';
import { LoadSummaryStore, PAIN_LOOKBACK_DAYS, RunnerFigures, SUMMARY_LOOKBACK_DAYS, SummaryScope } from './load-summary-store';
import { RunnerRecords } from './runner-records';
import { TEAM_PAGE_SIZE, TeamDashboard, sortRows } from './team-dashboard.service';

const DAY_MS = 86_400_000;

describe('precomputed load summaries (runner_load_summaries) against PostgreSQL', () => {
  let app: INestApplicationContext;
  let db: DataSource;
  let data: TrainingData;
  let store: LoadSummaryStore;
  let runner: UserEntity;
  const now = new Date();

  beforeAll(async () => {
    app = await integrationModule([AuthModule, DashboardModule]);
    db = app.get(DataSource);
    data = new TrainingData(app);
    store = app.get(LoadSummaryStore);
    runner = await app.get(UsersService).findOrCreate(uniqueEmail(), { timezone: 'Europe/Oslo' });
    await db.query('UPDATE users SET last_synced_at = $2 WHERE id = $1', [runner.id, now]);
    const shoe = await data.shoe(runner.id, { name: 'Pair' });
    await data.steadyBase(runner.id, { days: 40, km: 6, endDaysAgo: 8, shoeId: shoe.id });
    await data.run(runner.id, { daysAgo: 200, distanceKm: 21, now });
    await data.run(runner.id, { daysAgo: 3, distanceKm: 12, source: 'fit', now });
    await data.run(runner.id, { daysAgo: 2, distanceKm: 9, source: 'strava', alsoFrom: 'fit', now });
    await data.run(runner.id, { daysAgo: 1, distanceKm: 25, source: 'strava', now });
  });

  afterAll(() => app.close());

  async function scopes(): Promise<SummaryScope[]> {
    const [user] = await db.query('SELECT timezone, last_synced_at AS "syncedThrough" FROM users WHERE id = $1', [runner.id]);
    return [true, false].map((includeStravaData) => ({ runnerId: runner.id, includeStravaData, ...user }));
  }

  /** The figures from scratch: every visible run (the runner page's read), cut to the lookbacks' local days. */
  async function fromScratch(scope: SummaryScope, at: Date): Promise<RunnerFigures> {
    const calendar = new LocalCalendar(scope.timezone);
    const since = new Date(calendar.startOf(calendar.dayOf(at) - SUMMARY_LOOKBACK_DAYS));
    const records = app.get(RunnerRecords);
    const runs = (await records.runs([scope], new Date(0))).get(runner.id) ?? [];
    const pain =
      (await records.painReports([scope], new Date(calendar.startOf(calendar.dayOf(at) - PAIN_LOOKBACK_DAYS)))).get(runner.id) ?? [];
    return {
      summary: loadSummary(
        runs.filter((run) => run.startUtc >= since),
        scope.timezone,
        at,
        { syncedThrough: scope.syncedThrough },
      ),
      shoes: (await records.shoes([scope])).get(runner.id) ?? [],
      latestPain: latestPain(pain),
    };
  }

  async function expectCurrent(at = now): Promise<LoadSummary[]> {
    const result: LoadSummary[] = [];
    for (const scope of await scopes()) {
      const expected = await fromScratch(scope, at);
      // Computed (and stored) when stale, then read back from the table: both the same as from scratch.
      expect((await store.figures([scope], at)).get(runner.id)).toEqual(expected);
      expect((await store.figures([scope], at)).get(runner.id)).toEqual(expected);
      result.push(expected.summary);
    }
    return result;
  }

  /** Overwrites the stored figure, so a read that returns it came from the table. */
  async function markStored(): Promise<void> {
    await db.query(
      `UPDATE runner_load_summaries SET summary = json_build_object('summary', json_build_object('marker', true, 'lastRunAt', null), 'shoes', '[]'::json, 'latestPain', null) WHERE user_id = $1`,
      [runner.id],
    );
  }

  async function servedFromTable(scope: SummaryScope, at = now): Promise<boolean> {
    return ((await store.figures([scope], at)).get(runner.id)?.summary as unknown as { marker?: boolean }).marker === true;
  }

  it('stores summaries and serves them while nothing changed, keeping the Strava split', async () => {
    const [all, withoutStrava] = await expectCurrent();
    expect(all.last7DaysM).toBe(46_000);
    // the coach without Strava consent: 12 km from a file and the 9 km outing a file also has
    expect(withoutStrava.last7DaysM).toBe(21_000);
    const [{ count }] = await db.query('SELECT count(*)::int FROM runner_load_summaries WHERE user_id = $1', [runner.id]);
    expect(count).toBe(2);
    await markStored();
    for (const scope of await scopes()) expect(await servedFromTable(scope)).toBe(true);
    // another moment of the same local day with the same runs: still the stored one
    expect(await servedFromTable((await scopes())[0], new Date(now.getTime() + 1000))).toBe(true);
  });

  it('recomputes after a run is added, in whatever way it was written', async () => {
    await markStored();
    await data.run(runner.id, { daysAgo: 4, distanceKm: 7, source: 'fit', now });
    const [all] = await expectCurrent();
    expect(all.last7DaysM).toBe(53_000);
  });

  it('recomputes after edits: shoe change, not a run, a Strava-only run seen in a file, delete', async () => {
    const [run] = await db.query(`SELECT id FROM runs WHERE user_id = $1 AND distance_m = 7000`, [runner.id]);
    const shoe = await data.shoe(runner.id, { name: 'Other pair' });
    await markStored();
    await db.query('UPDATE runs SET shoe_id = $2 WHERE id = $1', [run.id, shoe.id]);
    for (const scope of await scopes()) expect(await servedFromTable(scope)).toBe(false);
    await expectCurrent();

    await markStored();
    await db.query('UPDATE runs SET is_run = false WHERE id = $1', [run.id]);
    const [all] = await expectCurrent();
    expect(all.last7DaysM).toBe(46_000);

    // the 25 km Strava-only run turns up in a FIT file: the coach without Strava consent sees it now
    const [stravaOnly] = await db.query(`SELECT id FROM runs WHERE user_id = $1 AND distance_m = 25000`, [runner.id]);
    await markStored();
    await db.query(`INSERT INTO run_sources (run_id, user_id, source, external_id) VALUES ($1, $2, 'fit', 'file-of-it')`, [
      stravaOnly.id,
      runner.id,
    ]);
    const [, withoutStrava] = await expectCurrent();
    expect(withoutStrava.last7DaysM).toBe(46_000);
    await markStored();
    await db.query(`DELETE FROM run_sources WHERE run_id = $1 AND source = 'fit'`, [stravaOnly.id]);
    expect((await expectCurrent())[1].last7DaysM).toBe(21_000);

    await markStored();
    await db.query('DELETE FROM runs WHERE id = $1', [stravaOnly.id]);
    expect((await expectCurrent())[0].last7DaysM).toBe(21_000);
  });

  it('recomputes after a shoe or a pain report changes, keeping Strava gear and Strava pain tags from the coach', async () => {
    const [fileRun] = await db.query(`SELECT id FROM runs WHERE user_id = $1 AND distance_m = 12000`, [runner.id]);
    const [stravaRun] = await db.query(`SELECT id FROM runs WHERE user_id = $1 AND distance_m = 9000`, [runner.id]);
    await markStored();
    const gear = await data.shoe(runner.id, { name: 'Strava gear', source: 'strava', reportedKm: 900 });
    for (const scope of await scopes()) expect(await servedFromTable(scope)).toBe(false);
    await db.query('UPDATE runs SET shoe_id = $2 WHERE id = $1', [stravaRun.id, gear.id]);
    const withGear = await fromScratch((await scopes())[0], now);
    expect(withGear.shoes.map((shoe) => shoe.name)).toContain('Strava gear');
    expect((await fromScratch((await scopes())[1], now)).shoes.map((shoe) => shoe.name)).not.toContain('Strava gear');
    await expectCurrent();

    await markStored();
    await db.query(`UPDATE shoes SET retire_threshold_m = 950000 WHERE id = $1`, [gear.id]);
    await expectCurrent();

    await markStored();
    await data.pain(runner.id, fileRun as RunEntity, { onsetKm: 6, source: 'web' });
    await expectCurrent();
    expect((await store.figures([(await scopes())[1]], now)).get(runner.id)?.latestPain).toMatchObject({ report: { onsetM: 6000 } });
    await markStored();
    await data.pain(runner.id, stravaRun as RunEntity, { onsetKm: 3, note: 'from strava', source: 'strava_tag' });
    await expectCurrent();
    const [all, withoutStrava] = await Promise.all((await scopes()).map((scope) => store.figures([scope], now)));
    expect(all.get(runner.id)?.latestPain?.report).toMatchObject({ onsetM: 3000 });
    expect(withoutStrava.get(runner.id)?.latestPain?.report).toMatchObject({ onsetM: 6000 });
  });

  it('recomputes when the time zone, the sync mark or the local day changes', async () => {
    await markStored();
    await db.query(`UPDATE users SET timezone = 'Pacific/Auckland' WHERE id = $1`, [runner.id]);
    for (const scope of await scopes()) expect(await servedFromTable(scope)).toBe(false);
    await expectCurrent();

    await markStored();
    await db.query('UPDATE users SET last_synced_at = $2 WHERE id = $1', [runner.id, new Date(now.getTime() - 5 * DAY_MS)]);
    const [all] = await expectCurrent();
    expect(all.windowEndsToday).toBe(false);

    await markStored();
    const tomorrow = new Date(now.getTime() + DAY_MS);
    for (const scope of await scopes()) expect(await servedFromTable(scope, tomorrow)).toBe(false);
    await expectCurrent(tomorrow);
  });

  it('does not count a run that starts later than now until then', async () => {
    const later = new Date(now.getTime() + 60_000);
    await db.query('UPDATE users SET last_synced_at = $2 WHERE id = $1', [runner.id, later]);
    await data.run(runner.id, { daysAgo: 0, distanceKm: 3, source: 'fit', now: new Date(later.getTime() + 2 * 3600_000) });
    await expectCurrent(); // stored: holds until the run starts
    const [{ valid_until }] = await db.query('SELECT valid_until FROM runner_load_summaries WHERE user_id = $1 AND include_strava', [
      runner.id,
    ]);
    const calendar = new LocalCalendar('Pacific/Auckland');
    expect(valid_until.getTime()).toBe(Math.min(later.getTime(), calendar.startOf(calendar.dayOf(now) + 1)));
    await markStored();
    expect(await servedFromTable((await scopes())[0], new Date(later.getTime() - 1))).toBe(true);
    expect(await servedFromTable((await scopes())[0], later)).toBe(false);
  });

  it('stores both viewer kinds after an evaluation (refreshRunner)', async () => {
    await db.query('DELETE FROM runner_load_summaries WHERE user_id = $1', [runner.id]);
    await store.refreshRunner(runner.id, now);
    const rows = await db.query('SELECT include_strava FROM runner_load_summaries WHERE user_id = $1 ORDER BY include_strava', [runner.id]);
    expect(rows.map((row: { include_strava: boolean }) => row.include_strava)).toEqual([false, true]);
    await expectCurrent();
  });

  it('pages a big team, sorted across the pages', async () => {
    const users = app.get(UsersService);
    const teams = app.get(TeamsService);
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    const team = await teams.create(coach, 'Big team');
    for (let index = 0; index < TEAM_PAGE_SIZE + 5; index++) {
      const member = await users.findOrCreate(uniqueEmail(`member${index}`), { timezone: 'UTC' });
      await db.query('UPDATE users SET display_name = $2 WHERE id = $1', [member.id, `Runner ${String(index).padStart(3, '0')}`]);
      if (index % 10 === 0) await data.run(member.id, { daysAgo: 1, distanceKm: 5 + index / 10, now });
      await teams.answer(member, team.inviteCode, 'accept');
    }
    const dashboard = app.get(TeamDashboard);
    const first = await dashboard.forCoach(coach.id, team.id, { sort: 'last7' }, now);
    const second = await dashboard.forCoach(coach.id, team.id, { sort: 'last7', page: 2 }, now);
    expect([first.pageCount, first.pageSize, first.totalRunners, first.shownRunners]).toEqual([2, TEAM_PAGE_SIZE, 105, 105]);
    expect(first.rows).toHaveLength(TEAM_PAGE_SIZE);
    expect(second.rows).toHaveLength(5);
    expect(second.query.page).toBe(2);
    // the pages together are the whole team in order: the runners with runs first, biggest first
    const everyone = [...first.rows, ...second.rows];
    expect(everyone.map((row) => row.runner.id)).toEqual(sortRows(everyone, 'last7', 'desc').map((row) => row.runner.id));
    expect(first.rows.slice(0, 11).map((row) => row.summary.last7DaysM)).toEqual(
      [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5].map((km) => km * 1000),
    );
    expect(new Set(everyone.map((row) => row.runner.id)).size).toBe(105);
    // a page past the last shows the last
    expect((await dashboard.forCoach(coach.id, team.id, { sort: 'last7', page: 9 }, now)).query.page).toBe(2);
  });
});
