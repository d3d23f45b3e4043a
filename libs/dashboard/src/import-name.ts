/**
 * How an import is named on the runner's page: without the server folders a CLI or watched-folder
 * import came from (they mean nothing to the runner and say something about the server), but
 * keeping the archive an entry came from: "/srv/in/export.zip/activities/1.fit.gz" →
 * "export.zip/activities/1.fit.gz", "/tmp/history/easy-5.fit" → "easy-5.fit".
 */
export function importDisplayName(filename: string): string {
  const archive = filename.match(/([^/]+\.zip\/.+)$/i);
  if (archive) return archive[1];
  const parts = filename.split('/');
  return parts[parts.length - 1] || filename;
}
