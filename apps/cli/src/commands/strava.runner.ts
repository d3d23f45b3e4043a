// Decorator metadata for Nest/TypeORM: loaded here, not in main.ts, so --help and replay start without it.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@deload/config';
import { PersistenceModule } from '@deload/persistence';
import { StravaPushSubscriptions, StravaSubscriptionsModule } from '@deload/strava';
import { CLI_LOGGER } from '../cli-logger';

async function withSubscriptions<T>(work: (subscriptions: StravaPushSubscriptions) => Promise<T>): Promise<T> {
  // Built here, not at import: the configuration is validated only when a Strava command runs.
  @Module({ imports: [ConfigModule.forRoot(), PersistenceModule, StravaSubscriptionsModule] })
  class StravaCliModule {}
  const app = await NestFactory.createApplicationContext(StravaCliModule, { logger: CLI_LOGGER, abortOnError: false });
  try {
    return await work(app.get(StravaPushSubscriptions));
  } finally {
    await app.close();
  }
}

export function subscribe(): Promise<void> {
  return withSubscriptions(async (subscriptions) => {
    const created = await subscriptions.subscribe();
    console.log(`subscribed: Strava push subscription ${created.id} delivers events to ${created.callbackUrl}`);
  });
}

export function listSubscriptions(): Promise<void> {
  return withSubscriptions(async (subscriptions) => {
    const list = await subscriptions.list();
    if (!list.length) console.log('no push subscription: run `deload strava:subscribe`');
    for (const item of list) console.log(`${item.id}\t${item.callbackUrl}\t${item.recorded ? 'in use' : 'not ours'}`);
  });
}

export function unsubscribe(id?: string): Promise<void> {
  return withSubscriptions(async (subscriptions) => {
    console.log(`deleted Strava push subscription ${await subscriptions.unsubscribe(id)}`);
  });
}
