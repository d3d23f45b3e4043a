import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { uniqueEmail } from '../../../test/support/sessions';
import { AuthModule } from './auth.module';
import { RunnerAccess } from './runner-access.service';
import { SingleUseTokens } from './single-use-tokens.service';
import { UsersService } from '@deload/users';
import { integrationModule } from '../../../test/support/integration-module';

describe('auth services against PostgreSQL', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    app = await integrationModule([AuthModule]);
  });

  afterAll(() => app.close());

  describe('UsersService', () => {
    it('creates a user once, whatever the case of the address, even when requests race', async () => {
      const email = uniqueEmail();
      const users = app.get(UsersService);
      const created = await Promise.all([
        users.findOrCreate(email),
        users.findOrCreate(email.toUpperCase()),
        users.findOrCreate(` ${email} `),
      ]);
      expect(new Set(created.map((user) => user.id)).size).toBe(1);
      expect(created[0].email).toBe(email);
    });

    it('refuses something that is not an email address', async () => {
      await expect(app.get(UsersService).findOrCreate('not-an-email')).rejects.toMatchObject({ kind: 'invalid' });
    });
  });

  describe('SingleUseTokens', () => {
    it('accepts a token once, also when two requests use it at the same time', async () => {
      const tokens = app.get(SingleUseTokens);
      const token = tokens.issue('magic-link', { userId: 'u1' }, 600);
      const results = await Promise.allSettled([tokens.consume('magic-link', token), tokens.consume('magic-link', token)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      await expect(tokens.consume('magic-link', token)).rejects.toMatchObject({
        kind: 'invalid',
        message: 'this link has already been used',
      });
    });

    it('lets a page look at a token without using it up', async () => {
      const tokens = app.get(SingleUseTokens);
      const token = tokens.issue('pain-checkin', { runId: 'r1' }, 600);
      expect(tokens.peek('pain-checkin', token).data).toEqual({ runId: 'r1' });
      await expect(tokens.consume('pain-checkin', token)).resolves.toMatchObject({ data: { runId: 'r1' } });
    });
  });

  describe('RunnerAccess', () => {
    it('lets a coach see a runner only while the runner is an active member of their team', async () => {
      const users = app.get(UsersService);
      const access = app.get(RunnerAccess);
      const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
      const otherCoach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
      const runner = await users.findOrCreate(uniqueEmail());
      const db = app.get(DataSource);
      const [team] = await db.query(`INSERT INTO teams (name, coach_id, invite_code) VALUES ('T', $1, $2) RETURNING id`, [
        coach.id,
        uniqueEmail('code'),
      ]);

      expect(await access.canView(runner, runner.id)).toBe(true);
      expect(await access.canView(coach, runner.id)).toBe(false);

      await db.query(`INSERT INTO memberships (team_id, runner_id, status, consent_given_at) VALUES ($1, $2, 'active', now())`, [
        team.id,
        runner.id,
      ]);
      expect(await access.canView(coach, runner.id)).toBe(true);
      expect(await access.canView(otherCoach, runner.id)).toBe(false);
      expect(await access.canView(runner, coach.id)).toBe(false);

      await db.query(`UPDATE memberships SET status = 'left', left_at = now() WHERE team_id = $1`, [team.id]);
      expect(await access.canView(coach, runner.id)).toBe(false);
      await expect(access.assertCanView(coach, runner.id)).rejects.toMatchObject({ kind: 'forbidden' });
    });
  });
});
