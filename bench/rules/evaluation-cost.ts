/**
 * The cost of one evaluation for a runner with 1 year vs 10 years of history: EvaluationService
 * against a real PostgreSQL (a throwaway database, dropped afterwards), and the pure engine on what
 * the service loads. Both runners have the same last 12 weeks, so the only difference is history.
 *
 *   node -r ./bench/support/register.js bench/rules/evaluation-cost.ts [--rounds 200]
 *
 * PostgreSQL: the server of $DATABASE_URL (a superuser), default postgres://postgres@127.0.0.1:5432/postgres.
 *
 * Target (DESIGN.md → Performance, "the same with 1 or 10 years"): the service's median with 10
 * years at most 1.25 × the one with 1 year (the margin is the noise of a shared machine); exits 1 over it.
 */
import { DataSource } from 'typeorm';
import { EvaluationService, loadRunnerHistory } from '@deload/evaluation';
import { AppConfig, loadConfig } from '@deload/config';
import { DomainEvents } from '@deload/events';
import {
  AlertsRepository,
  dataSourceOptions,
  dropDatabase,
  ensureDatabase,
  EventOutboxRepository,
  PainReportEntity,
  PainReportsRepository,
  RunEntity,
  RunsRepository,
  ShoeEntity,
  ShoesRepository,
  UserEntity,
  runMigrationsLocked,
  UsersRepository,
} from '@deload/persistence';
import { databaseUrl, uniqueName } from '../../test/support/test-env';
import { runBench, Target } from '../support/targets';
import { evaluate, windowStart } from '@deload/rules';
import { argument } from '../support/options';

const DAY = 86_400_000;
const AS_OF = new Date('2026-06-28T20:00:00Z');
const TIMEZONE = 'Europe/Oslo';

/** Five runs a week for `years` years up to AS_OF, the last week a 40 % jump (so an alert is open), on one shoe. */
async function seedRunner(dataSource: DataSource, label: string, years: number): Promise<string> {
  const user = await dataSource.getRepository(UserEntity).save({ email: `${label}@bench.test`, timezone: TIMEZONE, lastSyncedAt: AS_OF });
  const shoe = await dataSource.getRepository(ShoeEntity).save({
    userId: user.id,
    source: 'manual',
    externalId: 's1',
    name: 'Pegasus',
    reportedDistanceM: 300_000,
    reportedAt: new Date(AS_OF.getTime() - 90 * DAY),
  });
  const weeks = Math.round(years * 52);
  const rows: Partial<RunEntity>[] = [];
  for (let week = weeks; week >= 1; week--) {
    const weekStart = AS_OF.getTime() - week * 7 * DAY + DAY;
    [0, 1, 3, 4, 6].forEach((weekday, index) => {
      const km = [8, 10, 8, 6, 14][index] * (week === 1 ? 1.4 : 1);
      rows.push({
        userId: user.id,
        source: 'fit',
        externalId: `${label}-${week}-${weekday}`,
        sport: 'run',
        isRun: true,
        startUtc: new Date(weekStart + weekday * DAY),
        utcOffsetS: 3600,
        distanceM: km * 1000,
        movingS: km * 330,
        elevationLossM: km * 6,
        avgCadenceSpm: 170,
        shoeId: week <= 12 ? shoe.id : null,
      });
    });
  }
  const runs = dataSource.getRepository(RunEntity);
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += 1000) {
    const result = await runs.insert(rows.slice(start, start + 1000));
    ids.push(...result.identifiers.map((identifier) => identifier.id as string));
  }
  const pains = ids
    .filter((_, index) => index % 40 === 0)
    .map((runId) => ({ userId: user.id, runId, hasPain: true, location: 'lateral_knee' as const, onsetM: 6000, source: 'web' as const }));
  await dataSource.getRepository(PainReportEntity).insert(pains);
  await dataSource.query('ANALYZE');
  return user.id;
}

function summary(samples: number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)] };
}

async function timeEach(rounds: number, tasks: Record<string, () => Promise<unknown> | unknown>): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, task] of Object.entries(tasks)) {
      const started = performance.now();
      await task();
      samples[name].push(performance.now() - started);
    }
  }
  return samples;
}

async function main(): Promise<Target[]> {
  const url = databaseUrl(uniqueName('deload_bench'));
  await ensureDatabase(url);
  const dataSource = await new DataSource({ ...dataSourceOptions(url), logging: false }).initialize();
  try {
    await runMigrationsLocked(dataSource);
    const runners = { '1 year': await seedRunner(dataSource, 'one', 1), '10 years': await seedRunner(dataSource, 'ten', 10) };
    const counts = await dataSource.query(
      `SELECT u.email, count(r.id)::int AS runs FROM users u JOIN runs r ON r.user_id = u.id GROUP BY u.email ORDER BY runs`,
    );
    console.log(`runners: ${counts.map((row: { email: string; runs: number }) => `${row.email} ${row.runs} runs`).join(', ')}`);
    // The alert emails an evaluation asks for are recorded in event_outbox of this throwaway database, never queued.
    const repositories = {
      runs: new RunsRepository(dataSource),
      painReports: new PainReportsRepository(dataSource),
      shoes: new ShoesRepository(dataSource),
    };
    const events = new DomainEvents(new AppConfig(loadConfig({ DATABASE_URL: url })), new EventOutboxRepository(dataSource));
    const service = new EvaluationService(
      dataSource,
      new UsersRepository(dataSource),
      events,
      repositories.runs,
      repositories.painReports,
      repositories.shoes,
      new AlertsRepository(dataSource),
    );
    const rounds = argument('rounds', 200);
    const serviceTasks = Object.fromEntries(Object.entries(runners).map(([name, userId]) => [name, () => service.evaluate(userId, AS_OF)]));
    await timeEach(20, serviceTasks);
    const serviceSamples = await timeEach(rounds, serviceTasks);

    const since = windowStart(AS_OF, TIMEZONE);
    const engineTasks: Record<string, () => unknown> = {};
    for (const [name, userId] of Object.entries(runners)) {
      const history = await loadRunnerHistory(repositories, userId, since, AS_OF);
      engineTasks[name] = () => evaluate({ profile: { timezone: TIMEZONE }, asOf: AS_OF, syncedThrough: AS_OF, ...history });
      console.log(`${name}: the window holds ${history.runs.length} runs`);
    }
    await timeEach(200, engineTasks);
    const engineSamples = await timeEach(rounds * 10, engineTasks);

    for (const [label, samples] of [
      ['EvaluationService.evaluate (PostgreSQL, one transaction)', serviceSamples],
      ['engine evaluate() on the loaded window', engineSamples],
    ] as const) {
      const [one, ten] = [summary(samples['1 year']), summary(samples['10 years'])];
      console.log(
        `${label}: 1 year median ${one.median.toFixed(3)} ms (p90 ${one.p90.toFixed(3)}), 10 years median ${ten.median.toFixed(3)} ms (p90 ${ten.p90.toFixed(3)}); ratio 10y/1y ${(ten.median / one.median).toFixed(2)}`,
      );
    }
    const medians = { one: summary(serviceSamples['1 year']), ten: summary(serviceSamples['10 years']) };
    return [
      {
        measure: 'evaluation median, 10 years ÷ 1 year',
        value: +(medians.ten.median / medians.one.median).toFixed(2),
        unit: '×',
        atMost: 1.25,
      },
    ];
  } finally {
    await dataSource.destroy();
    await dropDatabase(url);
  }
}

runBench('rules/evaluation-cost', main);
