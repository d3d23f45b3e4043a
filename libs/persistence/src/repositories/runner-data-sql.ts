/**
 * SQL condition: the run (table alias `run`) reached us from somewhere other than Strava too — a
 * FIT upload, an export archive. Such a run may be shown to a coach even where Strava's terms
 * keep the Strava copy from them: the runner could have sent the coach that file.
 */
export function seenOutsideStrava(run: string): string {
  return `(${run}.source <> 'strava' OR EXISTS (SELECT 1 FROM run_sources seen WHERE seen.run_id = ${run}.id AND seen.source <> 'strava'))`;
}

/**
 * The SQL side of what a viewer may see of a runner's data (the rules: libs/auth
 * runner-data-policy.ts, DESIGN.md → "Strava: what we may show to whom"). Every query that shows a
 * runner's data to someone picks its rows with these fragments.
 *
 * `allowed` is an SQL boolean: whether this row's runner's Strava data may be shown (e.g.
 * `r.user_id = ANY($2::uuid[])`, or `true` / `false`).
 */
export const RUNNER_DATA_SQL = {
  /** The run (alias) may be shown. */
  runVisible: (run: string, allowed: string) => `(${allowed} OR ${seenOutsideStrava(run)})`,
  /** The run's title, or NULL where it may be Strava's and Strava data may not be shown. */
  runTitle: (run: string, allowed: string) =>
    `CASE WHEN ${allowed} OR NOT EXISTS (SELECT 1 FROM run_sources title_from WHERE title_from.run_id = ${run}.id AND title_from.source = 'strava') THEN ${run}.name END`,
  /** The shoe (alias) may be shown. */
  shoeVisible: (shoe: string, allowed: string) => `(${allowed} OR ${shoe}.source <> 'strava')`,
  /** The pain report (alias) may be shown (possibly reduced, see painReportForViewer in libs/auth). */
  painReportVisible: (report: string, allowed: string) => `(${allowed} OR ${report}.source <> 'strava_tag')`,
  /** True when only Strava has the run: what is known of it is Strava's. */
  stravaOnlyRun: (run: string) => `(NOT ${seenOutsideStrava(run)})`,
} as const;

/** A run's (alias `r`) calendar date where it was run (its own UTC offset, as the rules engine counts days). */
export const RUN_LOCAL_DATE = `((r.start_utc AT TIME ZONE 'UTC') + r.utc_offset_s * interval '1 second')::date`;
