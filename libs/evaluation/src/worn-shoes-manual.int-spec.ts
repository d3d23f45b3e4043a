import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MappedRun } from '@deload/domain';
import { IngestModule, RunIngestService } from '@deload/ingest';
import { AlertEntity, UserEntity } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { SettingsModule, ShoesService } from '@deload/settings';
import { integrationModule } from '../../../test/support/integration-module';
import { addDays, createRunner, endOfLocalDay, localInstant } from '../test/seed';
import { EvaluationModule } from './evaluation.module';
import { EvaluationService } from './evaluation.service';

const OSLO = 'Europe/Oslo';

/** A runner without Strava: their shoes are the ones they add, their runs FIT files (which name no gear). */
describe('worn shoes for a runner who only uploads FIT files', () => {
  let app: INestApplicationContext;
  let dataSource: DataSource;

  beforeAll(async () => {
    app = await integrationModule([QueueModule, IngestModule, SettingsModule, EvaluationModule]);
    dataSource = app.get(DataSource);
  });

  afterAll(() => app.close());

  const fitRun = (user: UserEntity, date: string, km: number): MappedRun => ({
    source: 'fit',
    externalId: `fit-${user.id}-${date}`,
    sport: 'run',
    startUtc: localInstant(date, OSLO),
    utcOffsetS: 3600,
    distanceM: km * 1000,
    movingS: km * 330,
    elapsedS: km * 340,
  });

  it('warns when the pair they added, default for road runs, passes its retire distance', async () => {
    const user = await createRunner(dataSource, { timezone: OSLO });
    const shoe = await app.get(ShoesService).create(user.id, {
      name: 'Daily trainers',
      brand: null,
      model: null,
      startingDistanceM: 650_000,
      retireThresholdM: 700_000,
      defaultFor: ['run'],
    });
    const days = Array.from({ length: 6 }, (_, index) => addDays('2024-03-04', index * 2));
    const outcomes = await app.get(RunIngestService).upsertRuns(
      user.id,
      days.map((date) => fitRun(user, date, 10)),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(6).fill('inserted'));
    await dataSource.getRepository(UserEntity).update(user.id, { lastSyncedAt: endOfLocalDay(days[5], OSLO) });

    await app.get(EvaluationService).evaluate(user.id, endOfLocalDay(days[5], OSLO));
    const alerts = await dataSource.getRepository(AlertEntity).findBy({ userId: user.id, rule: 'worn-shoes' });
    expect(alerts).toEqual([
      expect.objectContaining({
        severity: 'warning',
        state: 'open',
        facts: expect.objectContaining({ shoeId: shoe.id, distanceM: 710_000, distanceIsLowerBound: false, retireAtM: 700_000 }),
      }),
    ]);
  });
});
