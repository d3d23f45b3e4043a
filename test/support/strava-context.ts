import { INestApplicationContext } from '@nestjs/common';
import { AuthModule } from '../../libs/auth/src';
import { UsersService } from '../../libs/users/src';
import { StravaConnectionEntity } from '../../libs/persistence/src';
import { QueueModule } from '../../libs/queue/src';
import { StravaConnections, StravaModule, StravaOAuthClient } from '../../libs/strava/src';
import { FakeStrava } from '../fake-strava';
import { deleteRedisKeys, isolatedRedisPrefix } from './redis-prefix';
import { uniqueEmail } from './sessions';
import { integrationModule } from './integration-module';

export interface StravaContext {
  app: INestApplicationContext;
  fake: FakeStrava;
  close(): Promise<void>;
  /** A new athlete of the fake, authorized through its OAuth endpoints and stored as a connection of a new user. */
  connectedAthlete(): Promise<{ athleteId: number; userId: string; connection: StravaConnectionEntity }>;
}

/** libs/strava's services (no HTTP, no worker) against the fake Strava, with queues of their own. */
export async function startStravaContext(): Promise<StravaContext> {
  const fake = await new FakeStrava({ limits: { short: 1e5, readShort: 1e5, daily: 1e6, readDaily: 1e6 } }).start();
  const prefix = isolatedRedisPrefix('strava-lib');
  const app = await integrationModule([QueueModule, AuthModule, StravaModule], { env: { ...fake.env(), REDIS_KEY_PREFIX: prefix } });
  let nextAthlete = 300_000 + Math.floor(Math.random() * 100_000);
  return {
    app,
    fake,
    async close() {
      await app.close();
      await fake.stop();
      await deleteRedisKeys(prefix);
    },
    async connectedAthlete() {
      const athleteId = nextAthlete++;
      fake.addAthlete({ id: athleteId });
      fake.authorizeNext({ athleteId });
      const oauth = app.get(StravaOAuthClient);
      const redirect = await fetch(oauth.authorizeUrl('http://deload.test/auth/strava/callback', 'state'), { redirect: 'manual' });
      const location = new URL(redirect.headers.get('location')!);
      const grant = await oauth.exchangeCode(location.searchParams.get('code')!);
      const user = await app.get(UsersService).findOrCreate(uniqueEmail());
      const scopes = location.searchParams.get('scope')!.split(',');
      const { connection } = await app.get(StravaConnections).saveGrant(user.id, String(athleteId), scopes, grant);
      return { athleteId, userId: user.id, connection };
    },
  };
}
