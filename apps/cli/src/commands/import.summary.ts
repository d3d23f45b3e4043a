import type { FileImportResult, RunOutcome } from '@deload/ingest';

/** What a run line adds when the run was not simply new. */
const OUTCOME_NOTES: Partial<Record<RunOutcome['status'], string>> = {
  merged: ' (merged with the same outing)',
  updated: ' (brought the run already stored up to date)',
};

function describeRuns(result: FileImportResult): string {
  const kept = result.runs.filter((run) => run.status !== 'duplicate');
  if (result.status === 'duplicate') return 'already stored';
  return kept
    .map(
      (run) =>
        `${run.sport} ${(run.distanceM / 1000).toFixed(2)} km on ${run.startUtc.toISOString().slice(0, 10)}${OUTCOME_NOTES[run.status] ?? ''}`,
    )
    .join(', ');
}

/** What was dropped or corrected on the way in (an out-of-range heart rate, a negative elevation loss). */
function warningsOf(result: FileImportResult): string[] {
  return (result as FileImportResult & { warnings?: string[] }).warnings ?? [];
}

/** One line per file (archive entries indented below it): status, name, what became of it, then its warnings. */
export function formatResult(result: FileImportResult, indent = ''): string[] {
  const detail =
    result.status === 'rejected' ? result.reason : result.entries ? `${result.entries.length} activities` : describeRuns(result);
  const line = `${indent}${result.status.padEnd(9)} ${result.filename} — ${detail}`;
  const warnings = warningsOf(result).map((warning) => `${indent}          warning: ${warning}`);
  return [line, ...warnings, ...(result.entries ?? []).flatMap((entry) => formatResult(entry, `${indent}  `))];
}
