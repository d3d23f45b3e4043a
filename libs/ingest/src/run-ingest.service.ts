import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { MappedRun, RunSource } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { PainIntake } from '@deload/pain-reports';
import { RunEntity, RunSourceEntity, ShoeEntity, ShoeSource } from '@deload/persistence';
import { changesFor, isSameOuting, runFields, RunFields, SAME_OUTING } from './run-merge';
import { lockRunnerData } from './runner-lock';

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

/** Shoe ids by "source:gearRef", found once per upsertRuns call (a backfill page has 200 runs on a few shoes). */
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
      await lockRunnerData(manager, userId);
      const outcomes: RunOutcome[] = [];
      const shoeIds: ShoeIds = new Map();
      for (const run of runs) outcomes.push(await this.upsertOne(manager, userId, run, options, shoeIds));
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
      await lockRunnerData(manager, userId);
      const [removed]: [{ run_id: string }[], number] = await manager.query(
        `DELETE FROM run_sources WHERE user_id = $1 AND source = $2 AND ($3::text[] IS NULL OR external_id = ANY($3)) RETURNING run_id`,
        [userId, source, externalIds ?? null],
      );
      const runIds = [...new Set(removed.map((row) => row.run_id))];
      const [deleted]: [{ id: string }[], number] = await manager.query(
        `DELETE FROM runs WHERE id = ANY($1) AND NOT EXISTS (SELECT 1 FROM run_sources s WHERE s.run_id = runs.id) RETURNING id`,
        [runIds],
      );
      await manager.query(
        `UPDATE runs SET source = s.source, external_id = s.external_id, updated_at = now()
           FROM (SELECT DISTINCT ON (run_id) run_id, source, external_id FROM run_sources WHERE run_id = ANY($1) ORDER BY run_id, created_at) s
          WHERE runs.id = s.run_id AND runs.source = $2`,
        [runIds, source],
      );
      if (removed.length) await this.events.record(manager, { type: 'runs-changed', userId });
      return { sourcesRemoved: removed.length, runsDeleted: deleted.length, runsKept: runIds.length - deleted.length };
    };
    return options.manager ? work(options.manager) : this.dataSource.transaction(work);
  }

  private async upsertOne(
    manager: EntityManager,
    userId: string,
    run: MappedRun,
    options: UpsertRunsOptions,
    shoeIds: ShoeIds,
  ): Promise<RunOutcome> {
    const incoming = runFields(run, await this.shoeFor(manager, userId, run, options.gearNames, shoeIds));
    const known = await manager.getRepository(RunSourceEntity).findOneBy({ userId, source: run.source, externalId: run.externalId });
    if (known) {
      const stored = await manager.getRepository(RunEntity).findOneByOrFail({ id: known.runId });
      const changed = await this.applyChanges(manager, stored, incoming, stored.source === run.source);
      return outcome(changed ? 'updated' : 'duplicate', stored, run);
    }
    const twin = await this.sameOuting(manager, userId, run, incoming);
    if (twin) {
      await manager.getRepository(RunSourceEntity).insert({ runId: twin.id, userId, source: run.source, externalId: run.externalId });
      await this.applyChanges(manager, twin, incoming, false);
      return outcome('merged', twin, run);
    }
    const inserted = await manager.getRepository(RunEntity).save(
      manager.getRepository(RunEntity).create({
        ...incoming,
        userId,
        source: run.source,
        externalId: run.externalId,
        importFileId: options.importFileId ?? null,
      }),
    );
    await manager.getRepository(RunSourceEntity).insert({ runId: inserted.id, userId, source: run.source, externalId: run.externalId });
    return outcome('inserted', inserted, run);
  }

  private async applyChanges(manager: EntityManager, stored: RunEntity, incoming: RunFields, fromOwner: boolean): Promise<boolean> {
    const changes = changesFor(stored, incoming, fromOwner);
    if (Object.keys(changes).length === 0) return false;
    await manager.getRepository(RunEntity).update({ id: stored.id }, changes);
    Object.assign(stored, changes);
    return true;
  }

  /**
   * A stored run of the same outing, nearest start first, that no activity of the same kind of
   * record claims yet (two Strava activities, or two FIT files, are two outings).
   */
  private async sameOuting(manager: EntityManager, userId: string, run: MappedRun, incoming: RunFields): Promise<RunEntity | undefined> {
    const windowMs = SAME_OUTING.maxStartDifferenceS * 1000;
    const candidates = (
      await manager
        .getRepository(RunEntity)
        .createQueryBuilder('run')
        .where('run.userId = :userId', { userId })
        .andWhere('run.startUtc BETWEEN :from AND :to', {
          from: new Date(incoming.startUtc.getTime() - windowMs),
          to: new Date(incoming.startUtc.getTime() + windowMs),
        })
        .getMany()
    ).filter((candidate) => isSameOuting(candidate, incoming));
    if (candidates.length === 0) return undefined;
    const claims = await manager.getRepository(RunSourceEntity).findBy({ runId: In(candidates.map((candidate) => candidate.id)) });
    const kind = recordKind(run.source, run.externalId);
    const claimed = new Set(claims.filter((claim) => recordKind(claim.source, claim.externalId) === kind).map((claim) => claim.runId));
    const distance = (candidate: RunEntity) => Math.abs(candidate.startUtc.getTime() - incoming.startUtc.getTime());
    return candidates.filter((candidate) => !claimed.has(candidate.id)).sort((a, b) => distance(a) - distance(b))[0];
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
    const shoe = { userId, source, externalId: run.gearRef };
    await manager
      .createQueryBuilder()
      .insert()
      .into(ShoeEntity)
      .values({ ...shoe, name: gearNames[run.gearRef] ?? run.gearRef })
      .orIgnore()
      .execute();
    const { id } = await manager.getRepository(ShoeEntity).findOneByOrFail(shoe);
    shoeIds.set(key, id);
    return id;
  }
}

/**
 * What kind of record an external id names: "import" covers both Strava export activities
 * (numeric ids) and standalone GPX/TCX files ("gpx-…", "tcx-…"), which can be the same outing.
 */
function recordKind(source: RunSource, externalId: string): string {
  if (source !== 'import') return source;
  return /^(gpx|tcx)-/.test(externalId) ? 'import-track' : 'import-export';
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
