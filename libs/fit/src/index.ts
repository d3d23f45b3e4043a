/**
 * @deload/fit — FIT files to domain runs. Pure: no Nest, database or network.
 *
 * - `mapFitFile(bytes)` → one `FitRun` ({ run: MappedRun, records }) per session; multisport
 *   files give one per sport, non-running sessions included (their sport says so).
 * - Every failure is a `FitFileError` (a DomainError) whose `problem` is one of empty, not_fit,
 *   truncated, bad_crc, corrupt, no_activity, too_large and whose message is a human reason.
 * - Bad CRC → rejected; truncated → the part before the damage, flagged `truncated` (see decode.ts).
 */
export { DEFAULT_MAX_FIT_BYTES, decodeFit, type DecodedFit, type DecodeOptions } from './decode';
export { encodeFitActivity, type FitActivitySpec } from './encode';
export { describeContent, FitFileError, type FitProblem } from './errors';
export { mapFitFile, mapFitMessages, type FitRun } from './map';
export { type FitMessage, type FitMessages } from './messages';
export { climbing, mean, type Sample } from './samples';
export { kilometreSplits } from './splits';
export { normaliseFitSport } from './sport';
export { localIsoString, replayRunLine } from './summary';
