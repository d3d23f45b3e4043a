import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig, loadConfig } from '@deload/config';
import { Mailer } from '@deload/mail';
import { SessionsRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { stubRepository } from '../../../../test/support/stub-repository';
import { RateLimiter } from '../sign-in/rate-limiter';
import { SingleUseTokens } from '../single-use-tokens.service';
import { CHANGES_PER_ADDRESS, CHANGES_PER_USER, EmailChangeClaim, EmailChanges } from './email-changes.service';

const TX = { transaction: 'of the address change' } as unknown as EntityManager;

function user(id: string, email: string): UserEntity {
  return { id, email } as UserEntity;
}

/** The refusals and steps of an address change, with the tables, links, mail and limits stubbed (the real ones: auth.int-spec.ts). */
describe('EmailChanges (repositories stubbed)', () => {
  let users: jest.Mocked<UsersRepository>;
  let sessions: jest.Mocked<SessionsRepository>;
  let tokens: jest.Mocked<SingleUseTokens>;
  let mailer: jest.Mocked<Mailer>;
  let limiter: jest.Mocked<RateLimiter>;
  let changes: EmailChanges;
  const kari = user('user-kari', 'kari@example.test');

  /** The link the check reads: made for `claim`. */
  function linkFor(claim: EmailChangeClaim): string {
    tokens.peek.mockReturnValue({ data: claim, jti: 'jti', exp: 0 } as ReturnType<SingleUseTokens['peek']>);
    return 'signed-link';
  }

  beforeEach(() => {
    users = stubRepository(UsersRepository);
    sessions = stubRepository(SessionsRepository);
    tokens = stubRepository(SingleUseTokens);
    tokens.issue.mockReturnValue('signed-link');
    mailer = stubRepository(Mailer);
    mailer.send.mockResolvedValue({ transport: 'smtp' } as Awaited<ReturnType<Mailer['send']>>);
    limiter = stubRepository(RateLimiter);
    const dataSource = { transaction: (work: (tx: EntityManager) => Promise<unknown>) => work(TX) } as unknown as DataSource;
    const config = new AppConfig(loadConfig({ SECRET_KEY: 'k'.repeat(40), PUBLIC_URL: 'https://deload.example/' }));
    changes = new EmailChanges(dataSource, users, sessions, tokens, mailer, limiter, config);
  });

  describe('asking for a new address', () => {
    it.each([
      ['an address that cannot receive mail', 'strava-123@athletes.invalid'],
      ['the current address', ' KARI@example.test '],
      ['no address', 'not an address'],
    ])('refuses %s without sending anything', async (_label, address) => {
      await expect(changes.request(kari, address)).rejects.toMatchObject({ kind: 'invalid' });
      expect(limiter.hit).not.toHaveBeenCalled();
      expect(mailer.send).not.toHaveBeenCalled();
    });

    it('counts the request per account and per address, and sends the link to the new address only', async () => {
      expect(await changes.request(kari, 'Kari.New@Example.test')).toMatchObject({ to: 'kari.new@example.test', transport: 'smtp' });
      expect(limiter.hit).toHaveBeenCalledWith(CHANGES_PER_USER, kari.id);
      expect(limiter.hit).toHaveBeenCalledWith(CHANGES_PER_ADDRESS, 'kari.new@example.test');
      expect(tokens.issue).toHaveBeenCalledWith('email-change', { userId: kari.id, from: kari.email, to: 'kari.new@example.test' }, 86_400);
      expect(mailer.send).toHaveBeenCalledTimes(1);
      expect(mailer.send.mock.calls[0][0]).toMatchObject({ to: 'kari.new@example.test' });
    });
  });

  describe('checking the link', () => {
    it('refuses a link opened by another account, or made before the address changed', async () => {
      const fromOther = linkFor({ userId: 'user-other', from: kari.email, to: 'new@example.test' });
      await expect(changes.check(fromOther, kari)).rejects.toMatchObject({ kind: 'forbidden' });
      const stale = linkFor({ userId: kari.id, from: 'older@example.test', to: 'new@example.test' });
      await expect(changes.check(stale, kari)).rejects.toMatchObject({ kind: 'invalid' });
      expect(users.byEmail).not.toHaveBeenCalled();
    });

    it('names the other account that has the address, not the account itself', async () => {
      const link = linkFor({ userId: kari.id, from: kari.email, to: 'taken@example.test' });
      const owner = user('user-owner', 'taken@example.test');
      users.byEmail.mockResolvedValue(owner);
      expect(await changes.check(link, kari)).toEqual({ claim: expect.objectContaining({ to: 'taken@example.test' }), takenBy: owner });
      expect(users.byEmail).toHaveBeenCalledWith('taken@example.test');
      users.byEmail.mockResolvedValue(kari);
      expect(await changes.check(link, kari)).not.toHaveProperty('takenBy');
    });
  });

  describe('applying the link', () => {
    it('refuses an address another account has before using the link up', async () => {
      const link = linkFor({ userId: kari.id, from: kari.email, to: 'taken@example.test' });
      users.byEmail.mockResolvedValue(user('user-owner', 'taken@example.test'));
      await expect(changes.apply(link, { ...kari })).rejects.toMatchObject({ kind: 'conflict' });
      expect(tokens.consume).not.toHaveBeenCalled();
    });

    it.each([
      ['taken', 'conflict'],
      ['address-moved', 'invalid'],
    ] as const)('rolls back when the change finds the address %s meanwhile: no session ends, no mail', async (outcome, kind) => {
      const link = linkFor({ userId: kari.id, from: kari.email, to: 'new@example.test' });
      users.byEmail.mockResolvedValue(null);
      users.changeEmail.mockResolvedValue(outcome);
      await expect(changes.apply(link, { ...kari })).rejects.toMatchObject({ kind });
      expect(tokens.consume).toHaveBeenCalledWith('email-change', link, TX);
      expect(sessions.endOthers).not.toHaveBeenCalled();
      expect(mailer.send).not.toHaveBeenCalled();
    });

    it('changes the address in one transaction, ends the other sessions and tells the old address', async () => {
      const link = linkFor({ userId: kari.id, from: kari.email, to: 'new@example.test' });
      users.byEmail.mockResolvedValue(null);
      users.changeEmail.mockResolvedValue('changed');
      const signedIn = { ...kari } as UserEntity;
      expect((await changes.apply(link, signedIn, 'session-kept')).email).toBe('new@example.test');
      expect(users.changeEmail).toHaveBeenCalledWith(kari.id, kari.email, 'new@example.test', TX);
      expect(sessions.endOthers).toHaveBeenCalledWith(kari.id, 'session-kept', TX);
      expect(mailer.send).toHaveBeenCalledWith(expect.objectContaining({ to: kari.email }));
    });

    it('tells no one when the old address was a placeholder (an account made by Sign in with Strava)', async () => {
      const stravaOnly = user('user-strava', 'strava-123@athletes.invalid');
      const link = linkFor({ userId: stravaOnly.id, from: stravaOnly.email, to: 'first@example.test' });
      users.byEmail.mockResolvedValue(null);
      users.changeEmail.mockResolvedValue('changed');
      await changes.apply(link, stravaOnly);
      expect(sessions.endOthers).toHaveBeenCalledWith(stravaOnly.id, undefined, TX);
      expect(mailer.send).not.toHaveBeenCalled();
    });
  });
});
