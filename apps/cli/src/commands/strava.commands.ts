import { Command } from 'commander';

// Loaded on use: Nest, the database and the Strava client are heavy, and other commands should start quickly.
const runner = () => import('./strava.runner');

/** `deload strava:subscribe | strava:subscriptions | strava:unsubscribe` — the app's Strava push subscription. */
export function stravaCommands(): Command[] {
  return [
    new Command('strava:subscribe')
      .description('ask Strava to push activity and athlete events to PUBLIC_URL/webhooks/strava (the api must be reachable there)')
      .action(async () => (await runner()).subscribe()),
    new Command('strava:subscriptions')
      .description("list the app's push subscriptions at Strava")
      .action(async () => (await runner()).listSubscriptions()),
    new Command('strava:unsubscribe')
      .description('delete the push subscription (the one on record for PUBLIC_URL, or the given id); Strava stops sending events')
      .argument('[id]', 'subscription id (see strava:subscriptions)')
      .action(async (id?: string) => (await runner()).unsubscribe(id)),
  ];
}
