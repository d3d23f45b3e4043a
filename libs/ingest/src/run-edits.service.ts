import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { forbidden, invalid, isUuid } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { RunsRepository, ShoesRepository } from '@deload/persistence';

/** The same answer for "no such run" and "another runner's run", so ids cannot be probed. */
export const NOT_YOUR_RUN = 'no such run of yours';

/** At most this many runs change shoe in one request. */
export const MAX_RUNS_PER_SHOE_CHANGE = 500;

/**
 * What a runner changes on their own runs from the runs list: delete a run, mark it "not a run"
 * (or take that back), put runs on another shoe. Each change is one transaction, serialised with
 * imports and syncs of the runner (RunsRepository.lockRunnerData), that declares `runs-changed`,
 * so the runner is evaluated again once it commits.
 *
 * Deleting a run deletes its records (run_sources) and pain report; its Strava activities are
 * remembered (deleted_run_records) so the Strava sync never stores them again. Uploading the file
 * again brings a run back: that is the runner's explicit wish.
 */
@Injectable()
export class RunEdits {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
    private readonly shoes: ShoesRepository,
    private readonly events: DomainEvents,
  ) {}

  async deleteRun(userId: string, runId: string): Promise<void> {
    assertRunId(runId);
    await this.change(userId, async (manager) => {
      if (!(await this.runs.deleteOwn(userId, runId, manager))) throw forbidden(NOT_YOUR_RUN);
    });
  }

  async markNotARun(userId: string, runId: string, notARun: boolean): Promise<void> {
    assertRunId(runId);
    await this.change(userId, async (manager) => {
      if (!(await this.runs.markNotARun(userId, runId, notARun, manager))) throw forbidden(NOT_YOUR_RUN);
    });
  }

  /** Puts the runner's runs on one of their shoes (null: on none); every run must be theirs. Returns how many changed. */
  async assignShoe(userId: string, runIds: readonly string[], shoeId: string | null): Promise<number> {
    const ids = [...new Set(runIds)];
    if (!ids.length) throw invalid('pick at least one run');
    if (ids.length > MAX_RUNS_PER_SHOE_CHANGE) throw invalid(`at most ${MAX_RUNS_PER_SHOE_CHANGE} runs at once`);
    ids.forEach(assertRunId);
    return this.change(userId, async (manager) => {
      if ((await this.runs.ownedAmong(userId, ids, manager)).length !== ids.length) throw forbidden(NOT_YOUR_RUN);
      if (shoeId !== null && (!isUuid(shoeId) || !(await this.shoes.ownedBy(userId, shoeId)))) throw invalid('no such shoe of yours');
      return (await this.runs.assignShoe(userId, ids, shoeId, manager)).length;
    });
  }

  private change<T>(userId: string, write: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.runs.lockRunnerData(userId, manager);
      const result = await write(manager);
      await this.events.record(manager, { type: 'runs-changed', userId });
      return result;
    });
  }
}

function assertRunId(runId: string): void {
  if (!isUuid(runId)) throw forbidden(NOT_YOUR_RUN);
}
