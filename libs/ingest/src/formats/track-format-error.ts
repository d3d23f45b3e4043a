import { DomainError } from '@deload/domain';

/** A GPX, TCX or CSV file we cannot use, with the reason. */
export class TrackFormatError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
    this.name = 'TrackFormatError';
  }
}
