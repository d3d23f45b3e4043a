/**
 * Strava requests Deload spends, all-in: per backfilled activity (history import on connect) and
 * per new activity in steady state (webhook create → fetch → store), counting every request the
 * fake Strava receives — activity details, lists, the athlete, shoes, and OAuth token refreshes.
 * Runs the real api + worker against the fake Strava.
 *
 *   node -r ./bench/support/register.js bench/strava/request-budget.ts [activities=1000] [new=200] [--spacing-hours 24]
 *
 * Realistic spacing: new activities arrive back to back in real time, but before each one the
 * stored token is made to look as old as `--spacing-hours` says (its expiry moved into the past
 * when the spacing is 6 h or more, Strava's token life), so each costs the refresh it would cost
 * hours apart. The month-long picture, with the spare-time shoe and reconciliation reads, is
 * bench/strava/thousand-runners.ts.
 *
 * Target (DESIGN.md → Performance): ≤ 1.0 request per new activity all-in; exits 1 over it.
 */
import { backfilledConnection, connectThroughRedirects, startStravaStack } from '../../test/support/strava-stack';
import { waitFor } from '../../test/support/wait';
import { benchEnv } from '../support/environment';
import { argument } from '../support/options';
import { runBench, Target } from '../support/targets';

const DAY_S = 86_400;

async function main(): Promise<Target[]> {
  const positional = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const historySize = Number(positional[0] ?? 1000);
  const newActivities = Number(positional[1] ?? 200);
  const spacingHours = argument('spacing-hours', 24);
  const bench = await benchEnv();
  const stack = await startStravaStack({ fake: { limits: { short: 1e6, readShort: 1e6, daily: 1e7, readDaily: 1e7 } } });
  try {
    const { fake } = stack;
    const athleteId = 4_200_001;
    fake.addAthlete({ id: athleteId });
    for (const [id, name] of [
      ['g1', 'Pegasus 40'],
      ['g2', 'Speedgoat 5'],
      ['g3', 'Novablast 4'],
    ])
      fake.addGear(athleteId, { id, name, distance: 300_000, notification_distance: 700 });
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < historySize; i++) {
      const start = new Date((now - Math.floor(((i + 0.5) * 178 * DAY_S) / historySize)) * 1000).toISOString();
      fake.addActivity(athleteId, { start_date: start, gear_id: `g${(i % 3) + 1}`, sport_type: i % 10 === 9 ? 'Ride' : 'Run' });
    }
    for (let i = 0; i < 100; i++) fake.addActivity(athleteId, { start_date: new Date((now - (190 + i) * DAY_S) * 1000).toISOString() });

    fake.resetCounters();
    let started = performance.now();
    await connectThroughRedirects(stack, athleteId);
    const { user_id: userId } = await backfilledConnection(stack, athleteId, 600_000);
    const backfillMs = performance.now() - started;
    const backfill = {
      activities: historySize,
      apiRequests: fake.apiRequestCount(),
      listPages: fake.count('GET /api/v3/athlete/activities'),
      details: fake.count('GET /api/v3/activities/{id}'),
      athlete: fake.count('GET /api/v3/athlete'),
      gear: fake.count('GET /api/v3/gear/{id}'),
      oauthTokenCalls: fake.count('POST /oauth/token'),
      seconds: +(backfillMs / 1000).toFixed(1),
    };

    fake.resetCounters();
    started = performance.now();
    let waited = 0;
    const storedCount = async (user: string) =>
      Number((await stack.db.query(`SELECT count(*) FROM run_sources WHERE user_id = $1 AND source = 'strava'`, [user]))[0].count);
    for (let i = 0; i < newActivities; i++) {
      // One new activity in 25 comes with a pair of shoes Deload has not seen.
      const gearId = i % 25 === 24 ? `g${100 + i}` : `g${(i % 3) + 1}`;
      if (!fake.athletes.get(athleteId)!.gear.has(gearId)) fake.addGear(athleteId, { id: gearId, name: `New pair ${i}`, distance: 10_000 });
      if (spacingHours >= 6) {
        // Hours since the last call: the stored token has expired, as it would have (Strava's tokens live 6 h).
        const before = performance.now();
        await waitFor('the previous activity', async () => (await storedCount(userId)) === historySize + i, 60_000);
        waited += performance.now() - before;
        await stack.db.query(`UPDATE strava_connections SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [userId]);
      }
      await fake.activityCreated(athleteId, { start_date: new Date(Date.now() - i * 60_000).toISOString(), gear_id: gearId });
    }
    await waitFor('the new activities', async () => (await storedCount(userId)) === historySize + newActivities, 600_000);
    const steady = {
      newActivities,
      spacingHours,
      apiRequests: fake.apiRequestCount(),
      activityFetches: fake.count('GET /api/v3/activities/{id}'),
      athlete: fake.count('GET /api/v3/athlete'),
      gear: fake.count('GET /api/v3/gear/{id}'),
      lists: fake.count('GET /api/v3/athlete/activities'),
      oauthTokenCalls: fake.count('POST /oauth/token'),
      seconds: +((performance.now() - started - waited) / 1000).toFixed(1),
    };
    const allIn = steady.apiRequests + steady.oauthTokenCalls;

    console.log(JSON.stringify({ backfill, steady }, null, 2));
    console.log(
      `backfill: ${(backfill.apiRequests / historySize).toFixed(4)} requests per activity ` +
        `(${backfill.listPages} list pages = ${(backfill.listPages / historySize).toFixed(4)}/activity, ${backfill.details} details, ${backfill.athlete} athlete, ${backfill.gear} gear)`,
    );
    console.log(
      `steady state: ${(allIn / newActivities).toFixed(3)} requests per new activity all-in ` +
        `(${steady.activityFetches} activity, ${steady.gear} gear, ${steady.athlete} athlete, ${steady.lists} lists, ${steady.oauthTokenCalls} token refreshes; ` +
        `API alone ${(steady.apiRequests / newActivities).toFixed(3)})`,
    );
    return [{ measure: 'requests per new activity, all-in (steady state)', value: allIn / newActivities, unit: 'requests', atMost: 1.0 }];
  } finally {
    await stack.stop();
    await bench.cleanup();
  }
}

runBench('strava/request-budget', main);
