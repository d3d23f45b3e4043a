import type { PainReportOnRun } from '@deload/persistence';

/** A pain report as a viewer sees it: `startUtc` is the run's start. */
export interface PainPoint extends Pick<PainReportOnRun, 'startUtc' | 'hasPain' | 'location' | 'onsetM' | 'onsetS' | 'severity'> {
  /** Null when the viewer may not see the run (only Strava has it): then `startUtc` is when the runner reported it. */
  runId: string | null;
}

/** earlier: pain began sooner into the run than the time before at the same place (the ITBS warning sign). */
export type PainTrend = 'earlier' | 'later' | 'same';

export interface LatestPain {
  report: PainPoint;
  /** Against the previous pain report at the same location; null when there is none to compare. */
  trend: PainTrend | null;
}

/** Onsets within this fraction of each other count as the same. */
const SAME_WITHIN = 0.05;

/** The newest report of pain (not "no pain"), and whether it came earlier than the one before. */
export function latestPain(reports: readonly PainPoint[]): LatestPain | null {
  const painful = reports.filter((report) => report.hasPain).sort((a, b) => b.startUtc.getTime() - a.startUtc.getTime());
  const [latest] = painful;
  if (!latest) return null;
  const previous = painful.slice(1).find((report) => report.location === latest.location);
  return { report: latest, trend: previous ? onsetTrend(latest, previous) : null };
}

function onsetTrend(latest: PainPoint, previous: PainPoint): PainTrend | null {
  const pair: [number, number] | null =
    latest.onsetM !== null && previous.onsetM !== null
      ? [latest.onsetM, previous.onsetM]
      : latest.onsetS !== null && previous.onsetS !== null
        ? [latest.onsetS, previous.onsetS]
        : null;
  if (!pair) return null;
  const [now, before] = pair;
  if (now < before * (1 - SAME_WITHIN)) return 'earlier';
  if (now > before * (1 + SAME_WITHIN)) return 'later';
  return 'same';
}
