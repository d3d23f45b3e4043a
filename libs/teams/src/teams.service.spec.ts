import { RunnerAccess } from '@deload/auth';
import type { MembershipEntity, TeamEntity, UserEntity } from '@deload/persistence';
import { TeamsRepository } from '@deload/persistence';
import { UsersService } from '@deload/users';
import { stubRepository } from '../../../test/support/stub-repository';
import { TeamsService } from './teams.service';

const COACH = {
  id: '11111111-1111-4111-8111-111111111111',
  email: 'coach@example.test',
  displayName: 'Coach',
  role: 'coach',
} as UserEntity;
const RUNNER = {
  id: '22222222-2222-4222-8222-222222222222',
  email: 'runner@example.test',
  displayName: null,
  role: 'runner',
} as UserEntity;
const TEAM = { id: '33333333-3333-4333-8333-333333333333', name: 'Track', coachId: COACH.id, inviteCode: 'code' } as TeamEntity;

/** TeamsService's refusals and what it records, with the teams table stubbed (the real one: teams.int-spec.ts). */
describe('TeamsService (repositories stubbed)', () => {
  let teams: jest.Mocked<TeamsRepository>;
  let users: jest.Mocked<UsersService>;
  let access: jest.Mocked<RunnerAccess>;
  let service: TeamsService;

  beforeEach(() => {
    teams = stubRepository(TeamsRepository);
    users = stubRepository(UsersService);
    access = stubRepository(RunnerAccess);
    access.coachSharingEnabled.mockReturnValue(true);
    users.byId.mockResolvedValue(COACH);
    service = new TeamsService(teams, users, access);
  });

  describe('creating a team', () => {
    it('tidies the name, gives the team a fresh invite code and makes its creator a coach', async () => {
      teams.create.mockImplementation(async (team) => ({ ...TEAM, ...team }) as TeamEntity);
      const team = await service.create(RUNNER, '  Tuesday \n track ');
      expect(teams.create).toHaveBeenCalledWith({
        name: 'Tuesday track',
        coachId: RUNNER.id,
        inviteCode: expect.stringMatching(/^[\w-]{24}$/),
      });
      expect(team.name).toBe('Tuesday track');
      expect(users.grantRole).toHaveBeenCalledWith(RUNNER, 'coach');
    });

    it.each([['   '], [42], ['x'.repeat(121)]])('refuses the name %p without storing anything', async (name) => {
      await expect(service.create(COACH, name)).rejects.toMatchObject({ kind: 'invalid' });
      expect(teams.create).not.toHaveBeenCalled();
    });
  });

  it("refuses another coach's team, and a malformed team id without asking the database", async () => {
    await expect(service.coachedTeam(COACH.id, 'not-a-uuid')).rejects.toMatchObject({ kind: 'forbidden' });
    expect(teams.coachedBy).not.toHaveBeenCalled();
    teams.coachedBy.mockResolvedValue(null);
    await expect(service.coachedTeam(COACH.id, TEAM.id)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(teams.coachedBy).toHaveBeenCalledWith(COACH.id, TEAM.id);
  });

  describe('answering an invite', () => {
    it('refuses an unknown or overlong invite code', async () => {
      await expect(service.answer(RUNNER, 'x'.repeat(65), 'accept')).rejects.toMatchObject({ kind: 'not_found' });
      expect(teams.byInviteCode).not.toHaveBeenCalled();
      teams.byInviteCode.mockResolvedValue(null);
      await expect(service.answer(RUNNER, 'old-code', 'accept')).rejects.toMatchObject({ kind: 'not_found' });
      expect(teams.recordAnswer).not.toHaveBeenCalled();
    });

    it("refuses the team's own coach", async () => {
      teams.byInviteCode.mockResolvedValue(TEAM);
      await expect(service.answer(COACH, TEAM.inviteCode, 'accept')).rejects.toMatchObject({ kind: 'invalid' });
      expect(teams.recordAnswer).not.toHaveBeenCalled();
    });

    it('records consent with the scope shown on the invite page, and a decline without one', async () => {
      teams.byInviteCode.mockResolvedValue(TEAM);
      teams.recordAnswer.mockResolvedValue({ status: 'active' } as MembershipEntity);
      await service.answer(RUNNER, TEAM.inviteCode, 'accept');
      expect(teams.recordAnswer).toHaveBeenLastCalledWith(TEAM.id, RUNNER.id, { status: 'active', scope: { stravaData: true } });
      access.coachSharingEnabled.mockReturnValue(false);
      await service.answer(RUNNER, TEAM.inviteCode, 'accept');
      expect(teams.recordAnswer).toHaveBeenLastCalledWith(TEAM.id, RUNNER.id, { status: 'active', scope: { stravaData: false } });
      await service.answer(RUNNER, TEAM.inviteCode, 'decline');
      expect(teams.recordAnswer).toHaveBeenLastCalledWith(TEAM.id, RUNNER.id, { status: 'declined' });
    });
  });

  it('shows a signed-out visitor the invite without looking for their membership', async () => {
    teams.byInviteCode.mockResolvedValue(TEAM);
    expect(await service.invite(TEAM.inviteCode)).toMatchObject({ coach: { email: COACH.email }, membership: null });
    expect(teams.membership).not.toHaveBeenCalled();
  });

  it('says "not a member" when leaving a team one is not active in, or a team id that is none', async () => {
    await expect(service.leave(RUNNER.id, 'not-a-uuid')).rejects.toMatchObject({ kind: 'not_found' });
    expect(teams.leave).not.toHaveBeenCalled();
    teams.leave.mockResolvedValue(false);
    await expect(service.leave(RUNNER.id, TEAM.id)).rejects.toMatchObject({ kind: 'not_found' });
    teams.leave.mockResolvedValue(true);
    await expect(service.leave(RUNNER.id, TEAM.id)).resolves.toBeUndefined();
  });
});
