import { INestApplicationContext } from '@nestjs/common';
import { AuthModule, RunnerAccess } from '@deload/auth';
import { UsersService } from '@deload/users';
import { uniqueEmail } from '../../../test/support/sessions';
import { sharedItems } from './sharing-scope';
import { TeamsModule } from './teams.module';
import { TeamsService } from './teams.service';
import { integrationModule } from '../../../test/support/integration-module';

async function context(env: Record<string, string> = {}): Promise<INestApplicationContext> {
  return integrationModule([AuthModule, TeamsModule], { env });
}

describe('TeamsService against PostgreSQL', () => {
  let app: INestApplicationContext;
  let teams: TeamsService;
  let users: UsersService;

  beforeAll(async () => {
    app = await context();
    teams = app.get(TeamsService);
    users = app.get(UsersService);
  });

  afterAll(() => app.close());

  it('makes the creator a coach (a runner becomes "both") and gives the team an unguessable invite code', async () => {
    const runner = await users.findOrCreate(uniqueEmail());
    const team = await teams.create(runner, '  Tuesday   track  ');
    expect(team.name).toBe('Tuesday track');
    expect(team.inviteCode).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await users.byId(runner.id)).role).toBe('both');
    await expect(teams.create(runner, '   ')).rejects.toMatchObject({ kind: 'invalid', message: 'give the team a name' });
    await expect(teams.create(runner, 'x'.repeat(121))).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('records consent with what was shown, lets the runner change their mind, and counts only active members', async () => {
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    const runner = await users.findOrCreate(uniqueEmail());
    const team = await teams.create(coach, 'Consent');

    const invite = await teams.invite(team.inviteCode, runner);
    expect(invite).toMatchObject({ coach: { email: coach.email }, scope: { stravaData: false }, membership: null });

    const accepted = await teams.answer(runner, team.inviteCode, 'accept');
    expect(accepted).toMatchObject({ status: 'active', scope: { stravaData: false }, leftAt: null });
    expect(accepted.consentGivenAt).toBeInstanceOf(Date);
    expect((await teams.activeMembers(coach.id, team.id)).map((member) => member.runner.id)).toEqual([runner.id]);

    const declined = await teams.answer(runner, team.inviteCode, 'decline');
    expect(declined).toMatchObject({ status: 'declined', consentGivenAt: null });
    expect(await teams.activeMembers(coach.id, team.id)).toEqual([]);
    expect(await teams.inactiveCounts(coach.id, team.id)).toEqual({ declined: 1, left: 0 });

    await teams.answer(runner, team.inviteCode, 'accept');
    await teams.leave(runner.id, team.id);
    expect(await teams.inactiveCounts(coach.id, team.id)).toEqual({ declined: 0, left: 1 });
    await expect(teams.leave(runner.id, team.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await teams.membershipsOf(runner.id))[0]).toMatchObject({ team: { id: team.id }, membership: { status: 'left' } });
  });

  it('keeps two answers racing for the same invite to one membership', async () => {
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    const runner = await users.findOrCreate(uniqueEmail());
    const team = await teams.create(coach, 'Race');
    await Promise.all([teams.answer(runner, team.inviteCode, 'accept'), teams.answer(runner, team.inviteCode, 'accept')]);
    expect(await teams.membershipsOf(runner.id)).toHaveLength(1);
  });

  it('refuses a coach joining their own team, an old invite code, and another coach’s team', async () => {
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    const other = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    const runner = await users.findOrCreate(uniqueEmail());
    const team = await teams.create(coach, 'Own');
    await expect(teams.answer(coach, team.inviteCode, 'accept')).rejects.toMatchObject({ kind: 'invalid' });

    const oldCode = team.inviteCode;
    await teams.answer(runner, oldCode, 'accept');
    const rotated = await teams.rotateInvite(coach.id, team.id);
    expect(rotated.inviteCode).not.toBe(oldCode);
    await expect(teams.invite(oldCode)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await teams.activeMembers(coach.id, team.id)).toHaveLength(1);

    for (const attempt of [
      () => teams.coachedTeam(other.id, team.id),
      () => teams.rotateInvite(other.id, team.id),
      () => teams.activeMembers(other.id, team.id),
      () => teams.coachedTeam(coach.id, 'not-a-uuid'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ kind: 'forbidden' });
    }
  });

  it('lists a coach’s teams with their active runner counts', async () => {
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    const [a, b] = [await teams.create(coach, 'A'), await teams.create(coach, 'B')];
    await teams.answer(await users.findOrCreate(uniqueEmail()), a.inviteCode, 'accept');
    await teams.answer(await users.findOrCreate(uniqueEmail()), a.inviteCode, 'decline');
    expect((await teams.coachedTeams(coach.id)).map(({ team, activeRunners }) => [team.id, activeRunners])).toEqual([
      [a.id, 1],
      [b.id, 0],
    ]);
  });
});

describe('sharing Strava data with coaches (DESIGN.md → Strava: what we may show to whom)', () => {
  it('is off by default, and a runner’s consent is needed even after the operator turns it on', async () => {
    const off = await context();
    const on = await context({ STRAVA_COACH_SHARING: 'true' });
    try {
      const users = off.get(UsersService);
      const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
      const before = await users.findOrCreate(uniqueEmail('before'));
      const after = await users.findOrCreate(uniqueEmail('after'));
      const team = await off.get(TeamsService).create(coach, 'Strava');

      await off.get(TeamsService).answer(before, team.inviteCode, 'accept');
      expect(await off.get(RunnerAccess).viewOf(coach, before.id)).toEqual({
        runnerId: before.id,
        isSelf: false,
        includeStravaData: false,
      });
      expect(await off.get(RunnerAccess).viewOf(before, before.id)).toMatchObject({ isSelf: true, includeStravaData: true });

      // The operator turns sharing on: the runner who consented without it still shares no Strava data…
      expect(await on.get(RunnerAccess).viewOf(coach, before.id)).toMatchObject({ includeStravaData: false });
      // …while one who accepts now, having been shown it, does.
      const invite = await on.get(TeamsService).invite(team.inviteCode);
      expect(sharedItems(invite.scope).find((item) => item.label.includes('Strava'))).toMatchObject({ shared: true });
      await on.get(TeamsService).answer(after, team.inviteCode, 'accept');
      expect(await on.get(RunnerAccess).viewOf(coach, after.id)).toMatchObject({ includeStravaData: true });
      expect(await off.get(RunnerAccess).viewOf(coach, after.id)).toMatchObject({ includeStravaData: false });
    } finally {
      await off.close();
      await on.close();
    }
  });
});
