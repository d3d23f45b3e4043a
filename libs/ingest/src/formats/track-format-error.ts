import { DomainError } from '@deload/domain';

/**
 * What is wrong with a file, for callers that act on it (the importer offers `--distance-unit`
 * on `ambiguous_units`, for instance). The message says it in words a runner can act on.
 */
export type FormatProblem = 'invalid' | 'unsupported' | 'encoding' | 'truncated' | 'missing_columns' | 'ambiguous_units' | 'too_large';

/** A GPX, TCX, CSV, JSON or XML export we cannot use, with the reason. */
export class TrackFormatError extends DomainError {
  constructor(
    message: string,
    readonly problem: FormatProblem = 'invalid',
  ) {
    super('invalid', message, { problem });
    this.name = 'TrackFormatError';
  }
}
