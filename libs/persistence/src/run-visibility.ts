/**
 * SQL condition: the run (table alias `run`) reached us from somewhere other than Strava too — a
 * FIT upload, an export archive. Such a run may be shown to a coach even where Strava's terms
 * keep the Strava copy from them: the runner could have sent the coach that file.
 */
export function seenOutsideStrava(run: string): string {
  return `(${run}.source <> 'strava' OR EXISTS (SELECT 1 FROM run_sources seen WHERE seen.run_id = ${run}.id AND seen.source <> 'strava'))`;
}
