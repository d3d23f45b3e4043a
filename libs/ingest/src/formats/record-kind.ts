/**
 * The kind of record an imported run's external id names (source `import`). Two records of one
 * kind are two outings, so the importer links a run to a record of another kind only (see
 * run-ingest's same-outing merge): a Strava export activity and a Garmin CSV line of the same run
 * are one run, two lines of one Garmin CSV are two. Apple Health workouts are told apart by the app
 * that wrote them, because Strava and Nike Run Club write their copy of a watch's run into Health.
 */
export function importRecordKind(externalId: string): string {
  if (/^(gpx|tcx)-/.test(externalId)) return 'import-track';
  const apple = /^apple-([a-z0-9]*)-\d+$/.exec(externalId);
  if (apple) return `import-apple-${apple[1]}`;
  if (externalId.startsWith('garmin-csv-')) return 'import-garmin-csv';
  if (externalId.startsWith('garmin-')) return 'import-garmin';
  if (externalId.startsWith('polar-')) return 'import-polar';
  return 'import-export';
}
