/**
 * What of a runner's data a viewer may see: the one place that decides it (DESIGN.md → "Strava:
 * what we may show to whom", README → "Coach sharing and Strava's terms"). RunnerAccess decides who
 * may look at a runner at all, and whether the runner's Strava data may be shown to that viewer
 * (`RunnerView.includeStravaData`: always for the runner; for a coach only with
 * STRAVA_COACH_SHARING on and the runner's consent). Everything that shows a runner's data to
 * someone — pages, JSON API, team view, emails — reads it through these rules: the SQL fragments
 * where a query picks rows (RUNNER_DATA_SQL in libs/persistence/src/repositories/runner-data-sql.ts,
 * used by the repositories), the functions below where a row is reduced.
 *
 * Without Strava sharing a viewer sees:
 * - runs that reached us from a file too (FIT upload, export archive), without their title (it may
 *   be Strava's); runs only Strava has are left out;
 * - shoes other than Strava gear;
 * - the runner's own pain reports, but not those read from a Strava description; a report on a
 *   run only Strava has comes without the run (no run id, the report's own date, not the run's);
 * - every alert's rule, severity, state and dates; the facts, message and email of an alert
 *   computed from Strava data are withheld ("an alert of type X is open" is all that is shown).
 */

/** What a pain report row needs for the rule: its run, the run's start, and when the runner reported it. */
export interface PainReportFacts {
  runId: string | null;
  startUtc: Date;
  /** When the runner made the report (Deload's own record). */
  reportedAt: Date;
  /** The report's run is only known from Strava (RUNNER_DATA_SQL.stravaOnlyRun). */
  stravaOnlyRun: boolean;
}

/** A pain report as the viewer may see it (rows were picked with RUNNER_DATA_SQL.painReportVisible). */
export function painReportForViewer<T extends PainReportFacts>(
  report: T,
  includeStravaData: boolean,
): Omit<T, 'reportedAt' | 'stravaOnlyRun'> {
  const { reportedAt, stravaOnlyRun, ...shown } = report;
  if (includeStravaData || !stravaOnlyRun) return shown;
  return { ...shown, runId: null, startUtc: reportedAt };
}

export interface AlertFacts {
  facts: Record<string, unknown>;
  message: Record<string, unknown>;
  /** The facts were computed from Strava data (alerts.uses_strava_data). */
  usesStravaData: boolean;
}

/** An alert as the viewer may see it: `detailsWithheld` when its facts and message are Strava's to keep from them. */
export function alertForViewer<T extends AlertFacts>(alert: T, includeStravaData: boolean): T & { detailsWithheld: boolean } {
  if (includeStravaData || !alert.usesStravaData) return { ...alert, detailsWithheld: false };
  return { ...alert, facts: {}, message: {}, detailsWithheld: true };
}
