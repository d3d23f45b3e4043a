import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PainCheckins } from './pain-checkins.service';
import { PainReportsService } from './pain-reports.service';

/** What ingest knows about each run it stored (a subset of libs/ingest's RunOutcome). */
export interface StoredRun {
  runId: string;
  status: 'inserted' | 'updated' | 'merged' | 'duplicate';
}

/**
 * Where the ingest path (RunIngestService: file imports and the Strava sync alike) hands runs to
 * pain tracking, in the same transaction as the runs: pain tags are read from every new or changed
 * run's title and description, and the new runs due a "how did it feel?" check-in are named
 * (PainCheckins decides whom to ask) for ingest's `runs-changed` event, whose evaluation also
 * covers the tags.
 */
@Injectable()
export class PainIntake {
  constructor(
    private readonly reports: PainReportsService,
    private readonly checkins: PainCheckins,
  ) {}

  /** Inside the ingest transaction. Returns the runners whose pain reports changed. */
  async readTags(manager: EntityManager, runs: readonly StoredRun[]): Promise<string[]> {
    const changed = runs.filter((run) => run.status !== 'duplicate').map((run) => run.runId);
    return this.reports.applyRunText(manager, changed);
  }

  /** Inside the ingest transaction: the new runs whose runner is to be asked how they felt. */
  async checkInsDue(manager: EntityManager, runs: readonly StoredRun[]): Promise<string[]> {
    return this.checkins.dueAmong(
      manager,
      runs.filter((run) => run.status === 'inserted').map((run) => run.runId),
    );
  }
}
