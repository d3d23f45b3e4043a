import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import type { AlertEmailLevel, PainLocation } from '@deload/domain';
import { PainReportEntity, RunEntity, ShoeEntity, UserEntity } from '@deload/persistence';
import { uniqueEmail } from '../../../test/support/sessions';

/** Test data in the real database: one runner per test, runs placed by local date. */
export interface RunnerSpec {
  timezone?: string;
  ruleThresholds?: Record<string, unknown>;
  lastSyncedAt?: Date | null;
  units?: 'km' | 'mi';
  alertEmails?: AlertEmailLevel;
}

export async function createRunner(dataSource: DataSource, spec: RunnerSpec = {}): Promise<UserEntity> {
  const users = dataSource.getRepository(UserEntity);
  return users.save(
    users.create({
      email: uniqueEmail('rules'),
      role: 'runner',
      timezone: spec.timezone ?? 'Europe/Oslo',
      ruleThresholds: spec.ruleThresholds ?? {},
      lastSyncedAt: spec.lastSyncedAt ?? null,
      units: spec.units ?? 'km',
      alertEmails: spec.alertEmails ?? 'all',
    }),
  );
}

export function localInstant(date: string, timezone: string, time = '07:00'): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: timezone }).toJSDate();
}

export function endOfLocalDay(date: string, timezone: string): Date {
  return DateTime.fromISO(date, { zone: timezone }).endOf('day').toJSDate();
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

export interface RunSpec {
  shoeId?: string | null;
  sport?: 'run' | 'ride' | 'walk';
  time?: string;
}

export async function addRun(dataSource: DataSource, user: UserEntity, date: string, km: number, spec: RunSpec = {}): Promise<RunEntity> {
  const runs = dataSource.getRepository(RunEntity);
  const startUtc = localInstant(date, user.timezone, spec.time);
  const sport = spec.sport ?? 'run';
  return runs.save(
    runs.create({
      userId: user.id,
      source: 'fit',
      externalId: `${date}-${Math.random().toString(36).slice(2)}`,
      sport,
      isRun: sport === 'run',
      startUtc,
      utcOffsetS: DateTime.fromJSDate(startUtc, { zone: user.timezone }).offset * 60,
      distanceM: km * 1000,
      movingS: km * 330,
      elapsedS: km * 340,
      elevationLossM: km * 5,
      elevationGainM: km * 5,
      avgCadenceSpm: 170,
      shoeId: spec.shoeId ?? null,
    }),
  );
}

/** Runs on each day from `from` for `days` days, `pattern[i % 7]` km (0 = rest). */
export async function addRuns(
  dataSource: DataSource,
  user: UserEntity,
  from: string,
  days: number,
  pattern: number[],
  spec: RunSpec = {},
): Promise<RunEntity[]> {
  const runs: RunEntity[] = [];
  for (let day = 0; day < days; day++) {
    const km = pattern[day % pattern.length];
    if (km) runs.push(await addRun(dataSource, user, addDays(from, day), km, spec));
  }
  return runs;
}

export async function addShoe(dataSource: DataSource, user: UserEntity, spec: Partial<ShoeEntity> = {}): Promise<ShoeEntity> {
  const shoes = dataSource.getRepository(ShoeEntity);
  return shoes.save(
    shoes.create({ userId: user.id, source: 'manual', externalId: Math.random().toString(36).slice(2), name: 'Pegasus 40', ...spec }),
  );
}

export async function addPain(
  dataSource: DataSource,
  run: RunEntity,
  location: PainLocation | null,
  onsetM: number | null,
  hasPain = true,
): Promise<void> {
  const pains = dataSource.getRepository(PainReportEntity);
  await pains.save(pains.create({ userId: run.userId, runId: run.id, hasPain, location, onsetM, source: 'web' }));
}
