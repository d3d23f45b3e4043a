import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uniqueEmail } from '../../../../test/support/sessions';
import { openTestDatabase } from '../../../../test/support/test-database';
import { TeamEntity, UserEntity } from '../entities';
import { TeamsRepository } from './teams.repository';
import { UsersRepository } from './users.repository';

describe('TeamsRepository against PostgreSQL', () => {
  let db: DataSource;
  let teams: TeamsRepository;
  let users: UsersRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    teams = new TeamsRepository(db);
    users = new UsersRepository(db);
  });
  afterAll(() => db.destroy());

  const person = (label = 'runner', displayName?: string) => users.findOrCreate(uniqueEmail(label), { displayName });
  const newTeam = (coach: UserEntity, name = 'Track') =>
    teams.create({ name, coachId: coach.id, inviteCode: randomBytes(12).toString('hex') });
  const accept = (team: TeamEntity, runner: UserEntity, stravaData = false) =>
    teams.recordAnswer(team.id, runner.id, { status: 'active', scope: { stravaData } });

  it('creates a team and finds it by id, coach, name and invite code; a new code replaces the old', async () => {
    const coach = await person('coach');
    const team = await newTeam(coach, 'Tuesday');
    expect(team).toMatchObject({ name: 'Tuesday', coachId: coach.id });
    expect((await teams.coachedBy(coach.id, team.id))?.id).toBe(team.id);
    expect(await teams.coachedBy((await person('coach')).id, team.id)).toBeNull();
    expect((await teams.byCoachAndName(coach.id, 'Tuesday'))?.id).toBe(team.id);
    expect((await teams.byIds([team.id])).map((found) => found.id)).toEqual([team.id]);
    const oldCode = team.inviteCode;
    await teams.setInviteCode(team, 'fresh-code-' + team.id);
    expect(await teams.byInviteCode(oldCode)).toBeNull();
    expect((await teams.byInviteCode('fresh-code-' + team.id))?.id).toBe(team.id);
  });

  it('records answers (consent time and scope when accepting), replaces them, and lets an active runner leave once', async () => {
    const team = await newTeam(await person('coach'));
    const runner = await person();
    const accepted = await accept(team, runner, true);
    expect(accepted).toMatchObject({ status: 'active', scope: { stravaData: true }, leftAt: null });
    expect(accepted.consentGivenAt).toBeInstanceOf(Date);
    const declined = await teams.recordAnswer(team.id, runner.id, { status: 'declined' });
    expect(declined).toMatchObject({ id: accepted.id, status: 'declined', consentGivenAt: null, scope: {} });
    expect(await teams.leave(team.id, runner.id)).toBe(false);
    await accept(team, runner);
    expect(await teams.leave(team.id, runner.id)).toBe(true);
    expect(await teams.membership(team.id, runner.id)).toMatchObject({ status: 'left' });
    expect((await teams.membership(team.id, runner.id))?.leftAt).toBeInstanceOf(Date);
    expect(await teams.leave(team.id, runner.id)).toBe(false);
  });

  it('counts active runners per coached team (oldest team first), and declined and left per team', async () => {
    const coach = await person('coach');
    const first = await newTeam(coach, 'First');
    const second = await newTeam(coach, 'Second');
    const [a, b, c] = [await person(), await person(), await person()];
    await accept(first, a);
    await accept(first, b);
    await teams.recordAnswer(first.id, c.id, { status: 'declined' });
    await accept(second, c);
    await teams.leave(second.id, c.id);
    const coached = await teams.coachedWithActiveCounts(coach.id);
    expect(coached.map(({ team, activeRunners }) => [team.name, activeRunners])).toEqual([
      ['First', 2],
      ['Second', 0],
    ]);
    expect(await teams.coachedWithActiveCounts((await person('coach')).id)).toEqual([]);
    expect(await teams.inactiveCounts(first.id)).toEqual({ declined: 1, left: 0 });
    expect(await teams.inactiveCounts(second.id)).toEqual({ declined: 0, left: 1 });
  });

  it('lists active memberships by consent time and all memberships of a runner by age, and counts active ones', async () => {
    const coach = await person('coach');
    const [team, other] = [await newTeam(coach, 'A'), await newTeam(coach, 'B')];
    const [early, late] = [await person(), await person()];
    await accept(team, early);
    await accept(team, late);
    await accept(other, early);
    await teams.leave(other.id, early.id);
    expect((await teams.activeMemberships(team.id)).map((m) => m.runnerId)).toEqual([early.id, late.id]);
    expect((await teams.membershipsOf(early.id)).map((m) => [m.teamId, m.status])).toEqual([
      [team.id, 'active'],
      [other.id, 'left'],
    ]);
    expect(await teams.activeMembershipCount(early.id)).toBe(1);
    expect(await teams.activeMembershipCount(coach.id)).toBe(0);
  });

  it("tells whether a coach coaches a runner, with the runner's Strava consent over their active memberships", async () => {
    const coach = await person('coach');
    const [shared, notShared] = [await newTeam(coach, 'Shared'), await newTeam(coach, 'Not shared')];
    const [both, uploadsOnly, left, stranger] = [await person(), await person(), await person(), await person()];
    await accept(notShared, both, false);
    await accept(shared, both, true);
    await accept(notShared, uploadsOnly, false);
    await accept(shared, left, true);
    await teams.leave(shared.id, left.id);
    expect(await teams.isCoachOf(coach.id, both.id)).toBe(true);
    expect(await teams.isCoachOf(coach.id, left.id)).toBe(false);
    expect(await teams.isCoachOf(both.id, coach.id)).toBe(false);
    const consent = await teams.stravaConsentOfCoachedRunners(coach.id, [both.id, uploadsOnly.id, left.id, stranger.id]);
    expect(Object.fromEntries(consent)).toEqual({ [both.id]: true, [uploadsOnly.id]: false });
  });

  it("gives a coach's roster: teams by name, active runners by name, a team without runners once", async () => {
    const coach = await users.findOrCreate(uniqueEmail('coach'));
    await users.update(coach.id, { units: 'mi' });
    const [zulu, alpha] = [await newTeam(coach, 'Zulu'), await newTeam(coach, 'Alpha')];
    const bob = await person('bob', 'bob');
    const anna = await person('anna', 'Anna');
    const nameless = await person('carl');
    await accept(zulu, bob);
    await accept(zulu, anna);
    await accept(zulu, nameless);
    await teams.recordAnswer(zulu.id, (await person()).id, { status: 'declined' });
    const roster = await teams.rosterOf(coach.id);
    expect(roster.map((line) => [line.teamName, line.runnerName ?? line.runnerEmail, line.coachUnits])).toEqual([
      ['Alpha', null, 'mi'],
      ['Zulu', 'Anna', 'mi'],
      ['Zulu', 'bob', 'mi'],
      ['Zulu', nameless.email, 'mi'],
    ]);
    expect(roster[1]).toMatchObject({ teamId: zulu.id, runnerId: anna.id, runnerEmail: anna.email });
    expect(roster[0]).toMatchObject({ teamId: alpha.id, runnerId: null });
  });

  it("moves an account's teams and memberships to another, except where the other already is member or coach", async () => {
    const [source, target, otherCoach] = [await person(), await person(), await person('coach')];
    const coached = await newTeam(source, 'Coached by source');
    const joinedBySource = await newTeam(otherCoach, 'Source only');
    const joinedByBoth = await newTeam(otherCoach, 'Both');
    const coachedByTarget = await newTeam(target, 'Coached by target');
    await accept(joinedBySource, source);
    await accept(joinedByBoth, source);
    await accept(joinedByBoth, target);
    await accept(coachedByTarget, source);
    await db.transaction((tx) => teams.moveToAccount(source.id, target.id, tx));
    expect((await teams.coachedBy(target.id, coached.id))?.id).toBe(coached.id);
    expect((await teams.membershipsOf(target.id)).map((m) => m.teamId).sort()).toEqual([joinedBySource.id, joinedByBoth.id].sort());
    expect((await teams.membershipsOf(source.id)).map((m) => m.teamId).sort()).toEqual([joinedByBoth.id, coachedByTarget.id].sort());
  });
});
