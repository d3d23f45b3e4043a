import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MappedRun, RunSource } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { PainIntake } from '@deload/pain-reports';
import { RunEntity, RunsRepository, ShoesRepository, ShoeSource } from '@deload/persistence';
import { importRecordKind } from './formats/record-kind';
import { changesFor, isSameOuting, runFields, RunFields, SAME_OUTING, supersedes } from './run-merge';

/**
 * inserted — a new run; updated — its own source reported it again with changes;
 * merged — the same outing was already stored from another source, now linked (gaps filled);
 * duplicate — already stored, nothing changed.
 */
export type RunOutcomeStatus = 'inserted' | 'updated' | 'merged' | 'duplicate';

export interface RunOutcome {
  status: RunOutcomeStatus;
  runId: string;
  source: RunSource;
  externalId: string;
  sport: MappedRun['sport'];
  isRun: boolean;
  startUtc: Date;
  distanceM: number;
}

export interface UpsertRunsOptions {
  /** The import_files row these runs came from (file imports). */
  importFileId?: string;
  /** Shoe names by gearRef, for gear not stored yet (an export gives names, Strava gives ids). */
  gearNames?: Record<string, string>;
  /** Work inside the caller's transaction instead of opening one. */
  manager?: EntityManager;
  /**
   * Runs of a history import still in progress (a Strava backfill page): the rules must not judge
   * half a history, so no `runs-changed` is declared; the import declares `strava-history-imported`
   * once it is complete.
   */
  historyImport?: boolean;
}

export interface RemovedSource {
  /** run_sources rows removed. */
  sourcesRemoved: number;
  /** Runs deleted because no other source had them. */
  runsDeleted: number;
  /** Runs that stay because another source (e.g. a FIT upload) still has them. */
  runsKept: number;
}

/** Shoe ids by "source:gearRef" (and default shoes by "default:sport", "" for none), found once per upsertRuns call (a backfill page has 200 runs on a few shoes). */
type ShoeIds = Map<string, string>;

/** Which kind of shoe a run's gearRef points at, by the run's source (FIT files carry no gear). */
const SHOE_SOURCE: Record<RunSource, ShoeSource | undefined> = { strava: 'strava', import: 'import', fit: undefined };

/**
 * Stores mapped runs for one runner, idempotently: the same (source, external id) twice is one
 * run, and the same outing from two sources (start within 2 min, distance within 3 %) is one run
 * with two run_sources rows. All runs of a call are written in one transaction, serialised per
 * runner, so concurrent imports and syncs of one runner cannot create twins.
 */
@Injectable()
export class RunIngestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
    private readonly shoes: ShoesRepository,
    private readonly pain: PainIntake,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Pain tags in the runs' titles and descriptions are read in the same transaction, and when a run
   * was added or changed it declares `runs-changed` (with the new runs due a check-in) there too:
   * the runner's evaluation and check-ins follow once it commits (libs/events).
   */
  async upsertRuns(userId: string, runs: MappedRun[], options: UpsertRunsOptions = {}): Promise<RunOutcome[]> {
    const work = async (manager: EntityManager) => {
      await this.runs.lockRunnerData(userId, manager);
      const outcomes: RunOutcome[] = [];
      const shoeIds: ShoeIds = new Map();
      for (const run of await this.withoutDeletedStrava(manager, userId, runs))
        outcomes.push(await this.upsertOne(manager, userId, run, options, shoeIds));
      await this.pain.readTags(manager, outcomes);
      if (!options.historyImport && outcomes.some((outcome) => outcome.status !== 'duplicate')) {
        await this.events.record(manager, { type: 'runs-changed', userId, checkInRunIds: await this.pain.checkInsDue(manager, outcomes) });
      }
      return outcomes;
    };
    return options.manager ? work(options.manager) : this.dataSource.transaction(work);
  }

  /**
   * Forgets what one source said (a deleted Strava activity, a deauthorized athlete): its
   * run_sources rows — all of the runner's, or only `externalIds` — go; a run no other source has
   * goes with them; a run another source still has (the FIT upload of the same outing) stays,
   * shown from that source from now on. Serialised per runner like upserts; declares `runs-changed`
   * when something was removed.
   */
  async removeSource(
    userId: string,
    source: RunSource,
    externalIds?: string[],
    options: { manager?: EntityManager } = {},
  ): Promise<RemovedSource> {
    const work = async (manager: EntityManager): Promise<RemovedSource> => {
      await this.runs.lockRunnerData(userId, manager);
      const removed = await this.runs.removeRecords(userId, source, externalIds, manager);
      if (removed.sourcesRemoved) await this.events.record(manager, { type: 'runs-changed', userId });
      return {
        sourcesRemoved: removed.sourcesRemoved,
        runsDeleted: removed.runsDeleted,
        runsKept: removed.runIds.length - removed.runsDeleted,
      };
    };
    return options.manager ? work(options.manager) : this.dataSource.transaction(work);
  }

  /** The runs but the Strava activities whose run the runner deleted (runs list, issue 15): the sync must not bring them back. */
  private async withoutDeletedStrava(manager: EntityManager, userId: string, runs: MappedRun[]): Promise<MappedRun[]> {
    const stravaIds = runs.filter((run) => run.source === 'strava').map((run) => run.externalId);
    const deleted = new Set(await this.runs.deletedStravaActivities(userId, stravaIds, manager));
    return deleted.size ? runs.filter((run) => !(run.source === 'strava' && deleted.has(run.externalId))) : runs;
  }

  private async upsertOne(
    manager: EntityManager,
    userId: string,
    run: MappedRun,
    options: UpsertRunsOptions,
    shoeIds: ShoeIds,
  ): Promise<RunOutcome> {
    const incoming = runFields(run, await this.shoeFor(manager, userId, run, options.gearNames, shoeIds));
    const known = await this.runs.recordOf(userId, run.source, run.externalId, manager);
    if (known) {
      const stored = await this.runs.byIdOrFail(known.runId, manager);
      const changed = await this.applyChanges(manager, stored, incoming, run);
      return outcome(changed ? 'updated' : 'duplicate', stored, run);
    }
    const twin = await this.sameOuting(manager, userId, run, incoming);
    if (twin) {
      await this.runs.addRecord({ runId: twin.id, userId, source: run.source, externalId: run.externalId }, manager);
      await this.applyChanges(manager, twin, incoming, run);
      return outcome('merged', twin, run);
    }
    const shoeId = incoming.shoeId ?? (await this.defaultShoe(manager, userId, run.sport, shoeIds));
    const inserted = await this.runs.insert(
      { ...incoming, shoeId, userId, source: run.source, externalId: run.externalId, importFileId: options.importFileId ?? null },
      manager,
    );
    await this.runs.addRecord({ runId: inserted.id, userId, source: run.source, externalId: run.externalId }, manager);
    return outcome('inserted', inserted, run);
  }

  /**
   * Applies what a source reports about a stored run: as its owner when it is the source the row
   * shows, or when its recording supersedes the row's summary (the row then shows it from now on).
   */
  private async applyChanges(manager: EntityManager, stored: RunEntity, incoming: RunFields, run: MappedRun): Promise<boolean> {
    // The row's own record, unless it now comes as a summary of what was stored from its recording.
    const isOwner = stored.source === run.source && stored.externalId === run.externalId && !supersedes(incoming, stored);
    const takesOver = !isOwner && supersedes(stored, incoming);
    const changes: Partial<RunEntity> = changesFor(stored, incoming, isOwner || takesOver);
    if (takesOver) Object.assign(changes, { source: run.source, externalId: run.externalId });
    if (stored.notARun) delete changes.isRun; // the runner said it is not a run: no source makes it one again
    if (Object.keys(changes).length === 0) return false;
    await this.runs.update(stored.id, changes, manager);
    Object.assign(stored, changes);
    return true;
  }

  /**
   * A stored run of the same outing, nearest start first, that no activity of the same kind of
   * record claims yet (two Strava activities, or two FIT files, are two outings).
   */
  private async sameOuting(manager: EntityManager, userId: string, run: MappedRun, incoming: RunFields): Promise<RunEntity | undefined> {
    const windowMs = SAME_OUTING.maxStartDifferenceS * 1000;
    const from = new Date(incoming.startUtc.getTime() - windowMs);
    const to = new Date(incoming.startUtc.getTime() + windowMs);
    const candidates = (await this.runs.startingBetween(userId, from, to, manager)).filter((candidate) =>
      isSameOuting(candidate, incoming),
    );
    if (candidates.length === 0) return undefined;
    const claims = await this.runs.recordsOf(
      candidates.map((candidate) => candidate.id),
      manager,
    );
    const kind = recordKind(run.source, run.externalId);
    const claimed = new Set(claims.filter((claim) => recordKind(claim.source, claim.externalId) === kind).map((claim) => claim.runId));
    const distance = (candidate: RunEntity) => Math.abs(candidate.startUtc.getTime() - incoming.startUtc.getTime());
    return candidates.filter((candidate) => !claimed.has(candidate.id)).sort((a, b) => distance(a) - distance(b))[0];
  }

  /**
   * The runner's default shoe for this sport (a new run that names no gear: every FIT file, a
   * Strava activity without gear). Only new runs get it: a run already stored keeps its shoe.
   */
  private async defaultShoe(manager: EntityManager, userId: string, sport: MappedRun['sport'], shoeIds: ShoeIds): Promise<string | null> {
    const key = `default:${sport}`;
    if (!shoeIds.has(key)) shoeIds.set(key, (await this.shoes.defaultFor(userId, sport, manager)) ?? '');
    return shoeIds.get(key) || null;
  }

  private async shoeFor(
    manager: EntityManager,
    userId: string,
    run: MappedRun,
    gearNames: Record<string, string> = {},
    shoeIds: ShoeIds,
  ): Promise<string | null> {
    const source = SHOE_SOURCE[run.source];
    if (!source || !run.gearRef) return null;
    const key = `${source}:${run.gearRef}`;
    const known = shoeIds.get(key);
    if (known) return known;
    const id = await this.shoes.ensure({ userId, source, externalId: run.gearRef }, gearNames[run.gearRef] ?? run.gearRef, manager);
    shoeIds.set(key, id);
    return id;
  }
}

/**
 * What kind of record an external id names: for source "import" the export it came from
 * (importRecordKind: a Strava export activity, a Garmin CSV line, an Apple workout…), so the same
 * outing from two exports is one run while two lines of one export stay two.
 */
function recordKind(source: RunSource, externalId: string): string {
  return source === 'import' ? importRecordKind(externalId) : source;
}

function outcome(status: RunOutcomeStatus, stored: RunEntity, run: MappedRun): RunOutcome {
  return {
    status,
    runId: stored.id,
    source: run.source,
    externalId: run.externalId,
    sport: stored.sport,
    isRun: stored.isRun,
    startUtc: stored.startUtc,
    distanceM: stored.distanceM,
  };
}
