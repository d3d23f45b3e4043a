import type { EntityManager } from 'typeorm';
import type { PainLocation } from '@deload/domain';
import { PainReportEntity, PainReportsRepository, RunEntity, RunsRepository, ShoesRepository } from '@deload/persistence';
import type { EnginePainReport, EngineRun, EngineShoe } from '@deload/rules';

/** What the engine reads for one runner: the bounded window, not the whole history. */
export interface RunnerHistory {
  runs: EngineRun[];
  painReports: EnginePainReport[];
  shoes: EngineShoe[];
  /** Start of the runner's first run ever (one indexed lookup), so rules know how much history there is. */
  historyStart: Date | null;
  /**
   * Where Strava data entered the window: runs only Strava has, pain read from a Strava
   * description (`inWindow`), and Strava gear (`shoeIds`). An alert computed from them is Strava's.
   */
  stravaData: { inWindow: boolean; shoeIds: Set<string> };
}

/** Where the history is read from. */
export interface HistoryRepositories {
  runs: RunsRepository;
  painReports: PainReportsRepository;
  shoes: ShoesRepository;
}

/** Loads the runs from `since` to `asOf` (running sports only), their pain reports and the shoes they used. */
export async function loadRunnerHistory(
  repositories: HistoryRepositories,
  userId: string,
  since: Date,
  asOf: Date,
  tx?: EntityManager,
): Promise<RunnerHistory> {
  const runs = await repositories.runs.runsInWindow(userId, since, asOf, tx);
  const runIds = runs.map((run) => run.id);
  const pains = await repositories.painReports.onRuns(userId, runIds, tx);
  const shoeIds = [...new Set(runs.flatMap((run) => (run.shoeId ? [run.shoeId] : [])))];
  const historyStart = await repositories.runs.firstRunStart(userId, asOf, tx);
  const shoes = await repositories.shoes.withDistanceAsOf(userId, shoeIds, asOf, tx);
  const stravaOnlyRuns = await repositories.runs.anyOnlyFromStrava(runIds, tx);
  return {
    runs: runs.map(toEngineRun),
    painReports: pains.map(toEnginePain),
    shoes: shoes.map(({ source: _source, ...shoe }) => shoe),
    historyStart,
    stravaData: {
      inWindow: stravaOnlyRuns || pains.some((pain) => pain.source === 'strava_tag'),
      shoeIds: new Set(shoes.filter((shoe) => shoe.source === 'strava').map((shoe) => shoe.id)),
    },
  };
}

function toEngineRun(run: RunEntity): EngineRun {
  return {
    id: run.id,
    startUtc: run.startUtc,
    distanceM: run.distanceM,
    movingS: run.movingS,
    elapsedS: run.elapsedS,
    elevationLossM: run.elevationLossM,
    avgCadenceSpm: run.avgCadenceSpm,
    shoeId: run.shoeId,
  };
}

function toEnginePain(report: PainReportEntity): EnginePainReport {
  return {
    runId: report.runId,
    hasPain: report.hasPain,
    location: report.location as PainLocation | null,
    onsetM: report.onsetM,
    onsetS: report.onsetS,
    severity: report.severity,
  };
}
