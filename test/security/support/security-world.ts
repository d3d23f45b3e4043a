import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '../../../libs/users/src';
import { TokenCipher } from '../../../libs/crypto/src';
import { Mailer } from '../../../libs/mail/src';
import type { RunEntity, ShoeEntity, TeamEntity } from '../../../libs/persistence/src';
import { TeamsService } from '../../../libs/teams/src';
import { signIn, SignedIn, uniqueEmail } from '../../support/sessions';
import { Stack, startStack } from '../../support/stack';
import { TrainingData } from '../../support/training-data';

/**
 * Who asks, in the security suite. "runner" owns the data under test; "consentingCoach" coaches a
 * team the runner accepted; "coachWithoutConsent" coaches a team whose invite the runner declined;
 * "otherTeamCoach" coaches another runner ("otherRunner"); "admin" is an operator
 * (`deload admin grant`), who gains nothing but the outbox.
 */
export const PERSONAS = [
  'anonymous',
  'runner',
  'otherRunner',
  'consentingCoach',
  'coachWithoutConsent',
  'otherTeamCoach',
  'admin',
] as const;
export type Persona = (typeof PERSONAS)[number];
export type SignedInPersona = Exclude<Persona, 'anonymous'>;

export interface SecurityWorld {
  users: Record<SignedInPersona, SignedIn>;
  teams: { consenting: TeamEntity; withoutConsent: TeamEntity; other: TeamEntity };
  /** The runner's data, each carrying `marker` where it has text. */
  runner: { run: RunEntity; shoe: ShoeEntity; outboxFile: string };
  /** Text that appears in the runner's name, run, shoe and pain note and nowhere else: finding it in an answer means their data leaked. */
  marker: string;
}

/**
 * The api as `npm start` runs it, with an outbox folder of its own (no SMTP server) and a fake Strava
 * app configured; `worker` adds the worker (without cron), for tests that need uploads imported.
 */
export function startSecurityApp(env: Record<string, string> = {}, { worker = false } = {}): Promise<Stack> {
  return startStack({
    outbox: true,
    api: true,
    worker,
    env: {
      STRAVA_CLIENT_ID: '4242',
      STRAVA_CLIENT_SECRET: 'fake-secret',
      STRAVA_WEBHOOK_VERIFY_TOKEN: 'verify-token-1234',
      STRAVA_OAUTH_URL: 'http://127.0.0.1:9/oauth',
      STRAVA_API_URL: 'http://127.0.0.1:9/api/v3',
      ...env,
    },
  });
}

/** A fresh cast with their own users, teams and data (tests share one database: nothing is truncated). */
export async function buildSecurityWorld(app: NestExpressApplication): Promise<SecurityWorld> {
  const teams = app.get(TeamsService);
  const users = app.get(UsersService);
  const data = new TrainingData(app);
  const marker = `Mk${randomBytes(5).toString('hex')}`;
  const [runner, otherRunner, consentingCoach, coachWithoutConsent, otherTeamCoach, admin] = await Promise.all([
    signIn(app, { email: uniqueEmail('sec-runner') }),
    signIn(app, { email: uniqueEmail('sec-other') }),
    signIn(app, { role: 'coach' }),
    signIn(app, { role: 'coach' }),
    signIn(app, { role: 'coach' }),
    signIn(app, { email: uniqueEmail('sec-admin') }),
  ]);
  await users.setAdmin(admin.user.email, true);
  admin.user.isAdmin = true;
  await app.get(DataSource).query(`UPDATE users SET display_name = $2 WHERE id = $1`, [runner.user.id, `Runner ${marker}`]);
  runner.user.displayName = `Runner ${marker}`;

  const consenting = await teams.create(consentingCoach.user, 'Consenting team');
  const withoutConsent = await teams.create(coachWithoutConsent.user, 'Declined team');
  const other = await teams.create(otherTeamCoach.user, 'Other team');
  await teams.answer(runner.user, consenting.inviteCode, 'accept');
  await teams.answer(runner.user, withoutConsent.inviteCode, 'decline');
  await teams.answer(otherRunner.user, other.inviteCode, 'accept');

  const shoe = await data.shoe(runner.user.id, { name: `Shoe ${marker}`, reportedKm: 100 });
  const run = await data.run(runner.user.id, { daysAgo: 1, distanceKm: 10, shoeId: shoe.id });
  await app.get(DataSource).query(`UPDATE runs SET name = $2 WHERE id = $1`, [run.id, `Run ${marker}`]);
  await data.pain(runner.user.id, run, { note: `Note ${marker}`, onsetKm: 5 });
  await data.run(otherRunner.user.id, { daysAgo: 1, distanceKm: 8 });

  const sent = await app
    .get(Mailer)
    .send({ to: runner.user.email, subject: `Alert ${marker}`, text: `About ${marker}`, html: `<p>${marker}</p>` });
  return {
    users: { runner, otherRunner, consentingCoach, coachWithoutConsent, otherTeamCoach, admin },
    teams: { consenting, withoutConsent, other },
    runner: { run, shoe, outboxFile: sent.path!.split('/').pop()! },
    marker,
  };
}

/**
 * An account made by "Sign in with Strava" (placeholder address) with a Strava connection whose
 * tokens are sealed as the real code seals them: what an email account may merge.
 */
export async function stravaOnlyAccount(app: NestExpressApplication): Promise<{ userId: string; athleteId: number }> {
  const athleteId = 5_000_000 + Math.floor(Math.random() * 4_000_000);
  const user = await app.get(UsersService).findOrCreate(`strava-athlete-${athleteId}@no-email.invalid`);
  const cipher = app.get(TokenCipher);
  await app.get(DataSource).query(
    `INSERT INTO strava_connections (user_id, athlete_id, scopes, access_token_enc, refresh_token_enc, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + interval '6 hours')`,
    [
      user.id,
      athleteId,
      ['read', 'activity:read_all', 'profile:read_all'],
      cipher.encrypt('access', user.id),
      cipher.encrypt('refresh', user.id),
    ],
  );
  return { userId: user.id, athleteId };
}
