import { MappedRun } from '@deload/domain';

/**
 * One activity of an export, as the importer needs it to account for every run: either a run to
 * store (with what was dropped or corrected on the way, in `warnings`) or the reason it cannot be.
 * `ref` names the activity for the runner ("Activities.csv line 12 (Running, 2024-05-02 07:10)").
 */
export type ParsedEntry =
  { status: 'parsed'; ref: string; run: MappedRun; warnings: string[] } | { status: 'rejected'; ref: string; reason: string };

/** Entries of one export file, plus what concerns the file as a whole (encoding, units worked out). */
export interface ParsedExport {
  entries: ParsedEntry[];
  warnings: string[];
}

export const parsed = (ref: string, run: MappedRun, warnings: string[] = []): ParsedEntry => ({ status: 'parsed', ref, run, warnings });

export const rejected = (ref: string, reason: string): ParsedEntry => ({ status: 'rejected', ref, reason });

/** A run (or any record) without the keys whose value is undefined: stored rows and test snapshots stay tidy. */
export function compact<T extends object>(record: T): T {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) kept[key] = value;
  return kept as T;
}
