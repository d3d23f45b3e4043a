import { Injectable, Logger } from '@nestjs/common';
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
 * pain tracking: pain tags are read from every new or changed run's title and description in the
 * same transaction as the run, and new runs are queued for a "how did it feel?" check-in after the
 * commit (PainCheckins decides whom to ask). Ingest's own evaluation request covers the tags.
 */
@Injectable()
export class PainIntake {
  private readonly logger = new Logger(PainIntake.name);

  constructor(
    private readonly reports: PainReportsService,
    private readonly checkins: PainCheckins,
  ) {}

  /** Inside the ingest transaction. Returns the runners whose pain reports changed. */
  async readTags(manager: EntityManager, runs: readonly StoredRun[]): Promise<string[]> {
    const changed = runs.filter((run) => run.status !== 'duplicate').map((run) => run.runId);
    return this.reports.applyRunText(changed, { manager, requestEvaluation: false });
  }

  /** After the commit: check-ins for new runs. A queue that is down loses nothing: the check-in sweeper finds them. */
  async afterCommit(runs: readonly StoredRun[]): Promise<void> {
    try {
      await this.checkins.requestFor(runs.filter((run) => run.status === 'inserted').map((run) => run.runId));
    } catch (error) {
      this.logger.warn(`could not queue check-ins: ${(error as Error).message}; the sweeper will`);
    }
  }
}
