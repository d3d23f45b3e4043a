import { DomainError } from '@deload/domain';

/** Why a file could not be read as an activity. Each has a human sentence in `message`. */
export type FitProblem = 'empty' | 'not_fit' | 'truncated' | 'bad_crc' | 'corrupt' | 'no_activity' | 'too_large';

/** A FIT file we refuse, with a reason a runner can act on. Answered as a 4xx at the HTTP edge. */
export class FitFileError extends DomainError {
  constructor(
    readonly problem: FitProblem,
    message: string,
  ) {
    super(problem === 'too_large' ? 'too_large' : 'invalid', message, { problem });
    this.name = 'FitFileError';
  }
}

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive' },
  { bytes: [0x1f, 0x8b], what: 'a gzip file' },
  { bytes: [0x3c, 0x3f, 0x78, 0x6d, 0x6c], what: 'an XML document' },
];

/** Names what a non-FIT file looks like, so the message says more than "invalid". */
export function describeContent(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(({ bytes: signature }) => signature.every((byte, i) => bytes[i] === byte))?.what;
}

export function notFitError(bytes: Uint8Array, detail: string): FitFileError {
  const looksLike = describeContent(bytes);
  return new FitFileError('not_fit', `not a FIT file (${looksLike ? `it looks like ${looksLike}` : detail})`);
}
