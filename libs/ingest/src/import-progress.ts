/**
 * How far an import has come, reported as it goes (the CLI draws a progress bar from it; the upload
 * and the import folder may log it). `total` is known once an archive or export has been listed;
 * `done` counts activities accounted for (imported, duplicate or rejected) so far.
 */
export interface ImportProgress {
  /** The file or archive being imported, as named to the runner. */
  filename: string;
  /** Activities accounted for so far in this file or archive. */
  done: number;
  /** Activities it holds, when known (an export's listing, a CSV's lines); undefined while unknown. */
  total?: number;
  /** The activity just accounted for ("activities/123.fit", "Activities.csv line 12"). */
  current?: string;
}

export type ImportProgressListener = (progress: ImportProgress) => void;
