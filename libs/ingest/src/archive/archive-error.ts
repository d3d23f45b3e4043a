import { DomainError } from '@deload/domain';

/** An archive refused as a whole (zip bomb, unsafe entry names, unreadable zip); nothing in it is imported. */
export class ArchiveError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
    this.name = 'ArchiveError';
  }
}
