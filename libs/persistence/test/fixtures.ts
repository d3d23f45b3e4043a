import { DataSource } from 'typeorm';
import type { RunSource } from '@deload/domain';
import { dataSourceOptions } from '../src/data-source-options';
import { AlertEntity, PainReportEntity, RunEntity, RunSourceEntity, ShoeEntity, UserEntity } from '../src/entities';
import { uniqueEmail } from '../../../test/support/sessions';

/** The run's throwaway database (global-setup made it and applied the migrations). */
export async function openTestDatabase(): Promise<DataSource> {
  const url = process.env.DELOAD_TEST_DATABASE_URL;
  if (!url) throw new Error('DELOAD_TEST_DATABASE_URL is not set: run this spec in the integration project');
  return new DataSource(dataSourceOptions(url)).initialize();
}

export async function addUser(db: DataSource, fields: Partial<UserEntity> = {}): Promise<UserEntity> {
  const users = db.getRepository(UserEntity);
  return users.save(users.create({ email: uniqueEmail('repo'), role: 'runner', ...fields }));
}

export interface RunFixture {
  start: Date | string;
  km?: number;
  source?: RunSource;
  externalId?: string;
  /** Further records of the same run (run_sources), besides its own. */
  alsoFrom?: { source: RunSource; externalId: string }[];
  isRun?: boolean;
  shoeId?: string | null;
  name?: string | null;
  utcOffsetS?: number;
  movingS?: number | null;
}

let counter = 0;

/** A run and its run_sources rows. */
export async function addRun(db: DataSource, userId: string, run: RunFixture): Promise<RunEntity> {
  const source = run.source ?? 'fit';
  const externalId = run.externalId ?? `x${++counter}-${Date.now()}`;
  const stored = await db.getRepository(RunEntity).save(
    db.getRepository(RunEntity).create({
      userId,
      source,
      externalId,
      sport: run.isRun === false ? 'walk' : 'run',
      isRun: run.isRun ?? true,
      startUtc: new Date(run.start),
      utcOffsetS: run.utcOffsetS ?? 0,
      distanceM: (run.km ?? 10) * 1000,
      movingS: run.movingS ?? null,
      shoeId: run.shoeId ?? null,
      name: run.name ?? null,
    }),
  );
  for (const record of [{ source, externalId }, ...(run.alsoFrom ?? [])])
    await db.getRepository(RunSourceEntity).insert({ runId: stored.id, userId, ...record });
  return stored;
}

export async function addShoe(db: DataSource, userId: string, fields: Partial<ShoeEntity> = {}): Promise<ShoeEntity> {
  const shoes = db.getRepository(ShoeEntity);
  return shoes.save(shoes.create({ userId, source: 'manual', externalId: `s${++counter}`, name: 'Shoe', ...fields }));
}

export async function addPainReport(db: DataSource, run: RunEntity, fields: Partial<PainReportEntity> = {}): Promise<PainReportEntity> {
  const reports = db.getRepository(PainReportEntity);
  return reports.save(reports.create({ userId: run.userId, runId: run.id, hasPain: true, location: 'knee', source: 'web', ...fields }));
}

export async function addAlert(db: DataSource, userId: string, fields: Partial<AlertEntity> = {}): Promise<AlertEntity> {
  const alerts = db.getRepository(AlertEntity);
  const at = fields.firstSeenAt ?? new Date('2024-05-01T08:00:00Z');
  return alerts.save(
    alerts.create({
      userId,
      rule: 'weekly-increase',
      severity: 'warning',
      dedupeKey: `k${++counter}`,
      facts: {},
      message: {},
      firstSeenAt: at,
      lastSeenAt: at,
      ...fields,
    }),
  );
}
