import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MappedRun } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { RunIngestService } from '@deload/ingest';
import { RunsRepository, type StravaConnectionEntity, UsersRepository } from '@deload/persistence';
import type { QueuePayloads } from '@deload/queue';
import { StravaApi } from '../api/strava-api';
import { StravaNotFoundError } from '../api/strava-errors';
import { StravaClock } from '../clock/strava-clock';
import { StravaConnections } from '../connections/strava-connections.service';
import { mapStravaActivity, needsDetail } from '../mapping/activity-mapper';
import { isShoeId } from '../mapping/gear-mapper';
import { StravaReconciliation } from './strava-reconciliation.service';
import { StravaShoes } from './strava-shoes.service';

export type BackfillProgress = QueuePayloads['strava-backfill'];

/** Strava's largest page. */
export const PAGE_SIZE = 200;
/** Runs this recent get their detail read, for the description (pain notes) the list leaves out. */
export const DETAIL_LOOKBACK_DAYS = 28;
/** At most this many detail requests per backfill, whatever the history. */
export const MAX_DETAILS = 40;

export interface BackfillResult {
  status: 'done' | 'skipped';
  runsStored: number;
}

/**
 * A new connection's history: shoes first (so runs link to named shoes), then the activity list
 * page by page (per_page 200, `after` = connection − 180 days, until an empty page), storing
 * runs from the summaries alone; then details only for recent runs, within the background
 * budget. Progress is saved after each request so a job delayed by the rate limiter resumes
 * where it stopped, and every step is idempotent.
 */
@Injectable()
export class StravaBackfill {
  private readonly logger = new Logger(StravaBackfill.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly api: StravaApi,
    private readonly connections: StravaConnections,
    private readonly shoes: StravaShoes,
    private readonly ingest: RunIngestService,
    private readonly events: DomainEvents,
    private readonly runs: RunsRepository,
    private readonly reconciliation: StravaReconciliation,
    private readonly clock: StravaClock,
  ) {}

  async run(start: BackfillProgress, saveProgress: (progress: BackfillProgress) => Promise<void>): Promise<BackfillResult> {
    const connection = await this.connections.byUser(start.userId);
    if (connection?.id !== start.connectionId) return { status: 'skipped', runsStored: 0 };
    let progress = { ...start };
    let runsStored = 0;
    if (progress.page === 1 && !progress.detailIds) await this.shoes.refresh(connection, 'background');
    while (!progress.detailIds) {
      const page = await this.api.activities(connection, { after: progress.after, page: progress.page, perPage: PAGE_SIZE }, 'background');
      const stored = page.length ? await this.storeSummaries(connection, page.map(mapStravaActivity)) : [];
      runsStored += stored.length;
      const wanted = stored
        .filter((run) => needsDetail(run, new Date(this.clock.now()), DETAIL_LOOKBACK_DAYS))
        .map((run) => run.externalId);
      progress = page.length
        ? { ...progress, page: progress.page + 1, pending: [...(progress.pending ?? []), ...wanted] }
        : { ...progress, detailIds: (progress.pending ?? []).slice(-MAX_DETAILS), pending: undefined };
      await saveProgress(progress);
    }
    for (let left = progress.detailIds; left.length; left = left.slice(1)) {
      await this.storeDetail(connection, left[0]);
      progress = { ...progress, detailIds: left.slice(1) };
      await saveProgress(progress);
    }
    await this.finish(connection);
    this.logger.log(`backfill of user ${connection.userId} done: ${runsStored} runs stored in this run`);
    return { status: 'done', runsStored };
  }

  /**
   * The history is complete now, and only now may the rules judge it (`strava-history-imported`);
   * a runner still on the default time zone gets the one of their latest activity, so their days
   * and weeks are their own (DESIGN.md → Domain).
   */
  private async finish(connection: StravaConnectionEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.connections.markBackfilled(manager, connection.id);
      await this.users.markHistoryImported(connection.userId, manager);
      await this.events.record(manager, { type: 'strava-history-imported', userId: connection.userId });
    });
    await this.reconciliation.markReconciled(connection.userId);
  }

  /** Stores the summaries not stored yet (a webhook may have brought a run in with its detail already). */
  private async storeSummaries(connection: StravaConnectionEntity, runs: MappedRun[]): Promise<MappedRun[]> {
    const knownIds = new Set(
      await this.runs.storedStravaActivities(
        connection.userId,
        runs.map((run) => run.externalId),
      ),
    );
    const fresh = runs.filter((run) => !knownIds.has(run.externalId));
    const gearIds = new Set(fresh.map((run) => run.gearRef).filter(isShoeId));
    for (const gearId of gearIds) await this.shoes.ensureKnown(connection, gearId, 'background');
    if (fresh.length) await this.store(connection.userId, fresh);
    return fresh;
  }

  /** Part of a history import: no evaluation until the whole history is in (see `finish`). */
  private async store(userId: string, runs: MappedRun[]): Promise<void> {
    await this.connections.whileConnected(userId, (manager) => this.ingest.upsertRuns(userId, runs, { manager, historyImport: true }));
  }

  private async storeDetail(connection: StravaConnectionEntity, activityId: string): Promise<void> {
    try {
      await this.store(connection.userId, [mapStravaActivity(await this.api.activity(connection, activityId, 'background'))]);
    } catch (error) {
      if (!(error instanceof StravaNotFoundError)) throw error;
    }
  }
}
