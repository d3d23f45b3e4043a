/**
 * Strava API requests Deload spends: per backfilled activity (history import on connect) and per
 * new activity in steady state (webhook create → fetch → store). Runs the real api + worker
 * against the fake Strava and counts the requests it receives per endpoint.
 *
 *   node -r ./bench/support/register.js bench/strava/request-budget.ts [activities=1000] [new=200]
 *
 * Target (DESIGN.md → Performance): ≤ 1.0 API request per new activity. Token refreshes and the
 * daily gear poll are not counted here, so this is a lower bound of the all-in figure; exits 1 over it.
 */
import { backfilledConnection, connectThroughRedirects, startStravaStack } from '../../test/support/strava-stack';
import { waitFor } from '../../test/support/wait';
import { benchEnv } from '../support/environment';
import { runBench, Target } from '../support/targets';

const DAY_S = 86_400;

async function main(): Promise<Target[]> {
  const historySize = Number(process.argv[2] ?? 1000);
  const newActivities = Number(process.argv[3] ?? 200);
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
    for (let i = 0; i < newActivities; i++) {
      // One new activity in 25 comes with a pair of shoes Deload has not seen.
      const gearId = i % 25 === 24 ? `g${100 + i}` : `g${(i % 3) + 1}`;
      if (!fake.athletes.get(athleteId)!.gear.has(gearId)) fake.addGear(athleteId, { id: gearId, name: `New pair ${i}`, distance: 10_000 });
      await fake.activityCreated(athleteId, { start_date: new Date(Date.now() - i * 60_000).toISOString(), gear_id: gearId });
    }
    await waitFor(
      'the new activities',
      async () =>
        Number((await stack.db.query(`SELECT count(*) FROM run_sources WHERE user_id = $1 AND source = 'strava'`, [userId]))[0].count) ===
        historySize + newActivities,
      600_000,
    );
    const steady = {
      newActivities,
      apiRequests: fake.apiRequestCount(),
      activityFetches: fake.count('GET /api/v3/activities/{id}'),
      gear: fake.count('GET /api/v3/gear/{id}'),
      oauthTokenCalls: fake.count('POST /oauth/token'),
      seconds: +((performance.now() - started) / 1000).toFixed(1),
    };

    console.log(JSON.stringify({ backfill, steady }, null, 2));
    console.log(
      `backfill: ${(backfill.apiRequests / historySize).toFixed(4)} requests per activity ` +
        `(${backfill.listPages} list pages = ${(backfill.listPages / historySize).toFixed(4)}/activity, ${backfill.details} details, ${backfill.athlete} athlete, ${backfill.gear} gear)`,
    );
    console.log(
      `steady state: ${(steady.apiRequests / newActivities).toFixed(3)} requests per new activity (${steady.activityFetches} activity, ${steady.gear} gear)`,
    );
    return [
      { measure: 'API requests per new activity (steady state)', value: steady.apiRequests / newActivities, unit: 'requests', atMost: 1.0 },
    ];
  } finally {
    await stack.stop();
    await bench.cleanup();
  }
}

runBench('strava/request-budget', main);
