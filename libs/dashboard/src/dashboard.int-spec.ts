import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthModule } from '@deload/auth';
import { UsersService } from '@deload/users';
import { UserEntity } from '@deload/persistence';
import { TeamsService } from '@deload/teams';
import { uniqueEmail } from '../../../test/support/sessions';
import { TrainingData } from '../../../test/support/training-data';
import { DashboardModule } from './dashboard.module';
import { RunnerOverview } from './runner-overview.service';
import { TeamDashboard } from './team-dashboard.service';
import { integrationModule } from '../../../test/support/integration-module';

describe('dashboard read models against PostgreSQL', () => {
  let app: INestApplicationContext;
  let data: TrainingData;
  let coach: UserEntity;
  let runner: UserEntity;
  let teamId: string;

  beforeAll(async () => {
    app = await integrationModule([AuthModule, DashboardModule]);
    data = new TrainingData(app);
    const users = app.get(UsersService);
    coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    runner = await users.findOrCreate(uniqueEmail(), { timezone: 'Europe/Oslo' });
    // History complete up to now (as after a sync), so the 7-day window ends today.
    await app.get(DataSource).query('UPDATE users SET last_synced_at = now() WHERE id = $1', [runner.id]);
    const team = await app.get(TeamsService).create(coach, 'Readers');
    teamId = team.id;
    await app.get(TeamsService).answer(runner, team.inviteCode, 'accept');

    const stravaShoe = await data.shoe(runner.id, { name: 'Strava gear', source: 'strava', reportedKm: 300 });
    const ownShoe = await data.shoe(runner.id, { name: 'Own pair', reportedKm: 790 });
    await data.steadyBase(runner.id, { days: 35, km: 5, endDaysAgo: 7, shoeId: ownShoe.id });
    await data.run(runner.id, { daysAgo: 3, distanceKm: 14, source: 'fit', shoeId: ownShoe.id });
    const merged = await data.run(runner.id, { daysAgo: 2, distanceKm: 8, source: 'strava', alsoFrom: 'fit' });
    const stravaOnly = await data.run(runner.id, { daysAgo: 1, distanceKm: 30, source: 'strava', shoeId: stravaShoe.id });
    await data.pain(runner.id, merged, { onsetKm: 6, source: 'web' });
    await data.pain(runner.id, stravaOnly, { onsetKm: 4, note: 'knee ouch at 4k', source: 'strava_tag' });
    await data.alert(runner.id, { rule: 'weekly-increase', severity: 'caution', daysAgo: 1, notified: true });
    await data.alert(runner.id, { rule: 'monotony', severity: 'info', daysAgo: 40, state: 'resolved' });
  });

  afterAll(() => app.close());

  it('shows the runner everything of theirs', async () => {
    const overview = await app.get(RunnerOverview).forViewer(runner, runner.id);
    expect(overview.view).toEqual({ runnerId: runner.id, isSelf: true, includeStravaData: true });
    expect(overview.summary.last7DaysM).toBe(52_000);
    expect(overview.shoes.map((shoe) => shoe.name).sort()).toEqual(['Own pair', 'Strava gear']);
    expect(overview.pain.map((report) => report.note)).toEqual([null, 'knee ouch at 4k']);
    expect(overview.latestPain).toMatchObject({ report: { onsetM: 4000 }, trend: 'earlier' });
    expect(overview.alerts.map((alert) => [alert.rule, alert.state])).toEqual([
      ['weekly-increase', 'open'],
      ['monotony', 'resolved'],
    ]);
    expect(overview.alerts[0]).toMatchObject({ notifiedAt: expect.any(Date), message: { headline: expect.any(String) } });
    expect(overview.weekly).toHaveLength(26);
    expect(overview.weekly.flatMap((week) => week.alerts)).toEqual([
      { rule: 'monotony', severity: 'info' },
      { rule: 'weekly-increase', severity: 'caution' },
    ]);
  });

  it('hides Strava-only runs, Strava gear and pain read from Strava from the coach, but not the runner’s own pain reports or alerts', async () => {
    const overview = await app.get(RunnerOverview).forViewer(coach, runner.id);
    expect(overview.view).toMatchObject({ isSelf: false, includeStravaData: false });
    // 14 km from a FIT file and the 8 km outing a FIT file also has; not the 30 km Strava-only run
    expect(overview.summary.last7DaysM).toBe(22_000);
    expect(overview.runRatios.some((run) => run.distanceM === 30_000)).toBe(false);
    expect(overview.shoes.map((shoe) => shoe.name)).toEqual(['Own pair']);
    expect(overview.pain.map((report) => [report.source, report.onsetM])).toEqual([['web', 6000]]);
    expect(overview.alerts).toHaveLength(2);
  });

  it('counts a shoe’s distance as the source reported it plus the runs since', async () => {
    const overview = await app.get(RunnerOverview).forViewer(runner, runner.id);
    const own = overview.shoes.find((shoe) => shoe.name === 'Own pair')!;
    // reported 790 km a year ago, then 35 × 5 km + 14 km
    expect(own.distanceM).toBe(790_000 + 35 * 5_000 + 14_000);
    expect(own).toMatchObject({ state: 'worn', limitM: 800_000 });
  });

  it('gives the coach one row per runner with what needs attention', async () => {
    const view = await app.get(TeamDashboard).forCoach(coach.id, teamId);
    expect(view.totalRunners).toBe(1);
    const [row] = view.rows;
    expect(row.runner).toMatchObject({ id: runner.id, email: runner.email });
    expect(row.summary.last7DaysM).toBe(22_000);
    expect(row.summary.weeks).toHaveLength(12);
    expect(row.openAlerts).toEqual([{ rule: 'weekly-increase', severity: 'caution', response: null }]);
    expect(row.shoe?.name).toBe('Own pair');
    // the 14 km run after a month of 5 km runs is 2.8× the longest of the 30 days before
    expect(row.attention.map((reason) => reason.kind)).toEqual(['alerts', 'spike', 'pain', 'shoes']);
    const filtered = await app.get(TeamDashboard).forCoach(coach.id, teamId, { attentionOnly: true, sort: 'name' });
    expect(filtered).toMatchObject({ totalRunners: 1, query: { sort: 'name', order: 'asc', attentionOnly: true } });
    expect(filtered.rows).toHaveLength(1);
  });
});
