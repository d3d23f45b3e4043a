import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { PainLocation, RuleId, RunSource, Severity } from '../../libs/domain/src';
import { AlertEntity, EmailDeliveryEntity, PainReportEntity, RunEntity, RunSourceEntity, ShoeEntity } from '../../libs/persistence/src';

const DAY_MS = 86_400_000;

/** Test data written straight to the database, as ingest, Strava sync and the alert lifecycle would. */
export class TrainingData {
  private readonly db: DataSource;

  constructor(app: INestApplicationContext) {
    this.db = app.get(DataSource);
  }

  async run(
    userId: string,
    options: { daysAgo: number; distanceKm: number; source?: RunSource; alsoFrom?: RunSource; shoeId?: string; now?: Date },
  ): Promise<RunEntity> {
    const source = options.source ?? 'fit';
    const startUtc = new Date((options.now ?? new Date()).getTime() - options.daysAgo * DAY_MS - 2 * 3600_000);
    const run = await this.db.getRepository(RunEntity).save(
      this.db.getRepository(RunEntity).create({
        userId,
        source,
        externalId: randomUUID(),
        sport: 'run',
        isRun: true,
        startUtc,
        utcOffsetS: 0,
        distanceM: options.distanceKm * 1000,
        movingS: options.distanceKm * 330,
        elapsedS: options.distanceKm * 340,
        shoeId: options.shoeId ?? null,
        name: `${source} run`,
      }),
    );
    const sources = [source, ...(options.alsoFrom ? [options.alsoFrom] : [])];
    for (const from of sources) {
      await this.db
        .getRepository(RunSourceEntity)
        .insert({ runId: run.id, userId, source: from, externalId: from === source ? run.externalId : randomUUID() });
    }
    return run;
  }

  /** Daily runs of `km` for `days` days ending `endDaysAgo` days ago (a steady base). */
  async steadyBase(
    userId: string,
    options: { days: number; km: number; endDaysAgo?: number; source?: RunSource; shoeId?: string },
  ): Promise<void> {
    for (let day = options.endDaysAgo ?? 0; day < (options.endDaysAgo ?? 0) + options.days; day += 1) {
      await this.run(userId, { daysAgo: day, distanceKm: options.km, source: options.source, shoeId: options.shoeId });
    }
  }

  async shoe(
    userId: string,
    options: { name: string; source?: 'strava' | 'import' | 'manual'; reportedKm?: number; retireKm?: number },
  ): Promise<ShoeEntity> {
    return this.db.getRepository(ShoeEntity).save(
      this.db.getRepository(ShoeEntity).create({
        userId,
        source: options.source ?? 'manual',
        externalId: randomUUID(),
        name: options.name,
        reportedDistanceM: options.reportedKm !== undefined ? options.reportedKm * 1000 : null,
        reportedAt: options.reportedKm !== undefined ? new Date(Date.now() - 400 * DAY_MS) : null,
        retireThresholdM: options.retireKm !== undefined ? options.retireKm * 1000 : null,
      }),
    );
  }

  async pain(
    userId: string,
    run: RunEntity,
    options: {
      location?: PainLocation;
      onsetKm?: number;
      onsetMin?: number;
      severity?: number;
      note?: string;
      source?: PainReportEntity['source'];
    } = {},
  ): Promise<void> {
    await this.db.getRepository(PainReportEntity).insert({
      userId,
      runId: run.id,
      hasPain: true,
      location: options.location ?? 'lateral_knee',
      onsetM: options.onsetKm !== undefined ? options.onsetKm * 1000 : null,
      onsetS: options.onsetMin !== undefined ? options.onsetMin * 60 : null,
      severity: options.severity ?? 4,
      source: options.source ?? 'web',
      note: options.note ?? null,
    });
  }

  async alert(
    userId: string,
    options: { rule: RuleId; severity: Severity; daysAgo?: number; state?: 'open' | 'resolved'; notified?: boolean },
  ): Promise<AlertEntity> {
    const seen = new Date(Date.now() - (options.daysAgo ?? 0) * DAY_MS);
    const alert = await this.db.getRepository(AlertEntity).save(
      this.db.getRepository(AlertEntity).create({
        userId,
        rule: options.rule,
        severity: options.severity,
        dedupeKey: randomUUID(),
        facts: { ratio: 1.45 },
        message: {
          headline: 'Your last 7 days were 45 % above your usual week.',
          explanation: 'Runners who increase weekly distance by more than 30 % get more overuse injuries.',
          suggestions: ['Cut the next 7 days by 20–30 %.', 'Keep runs easy and flat.'],
          disclaimer: 'This is a suggestion, not medical advice.',
        },
        state: options.state ?? 'open',
        firstSeenAt: seen,
        lastSeenAt: seen,
        resolvedAt: options.state === 'resolved' ? new Date() : null,
        notifyRequestedAt: options.notified ? seen : null,
        notifiedAt: options.notified ? seen : null,
        notifiedSeverity: options.notified ? options.severity : null,
      }),
    );
    if (options.notified) {
      // As libs/notify records a sent email (email_deliveries: one row per alert and request).
      await this.db.getRepository(EmailDeliveryEntity).insert({
        userId,
        kind: 'alert',
        dedupeKey: `${alert.id}-${seen.getTime()}`,
        messageId: `<alert-${alert.id}@deload.test>`,
        status: 'sent',
        attempts: 1,
        sentAt: seen,
      });
    }
    return alert;
  }
}
