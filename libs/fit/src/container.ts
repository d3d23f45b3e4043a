import { FitFileError, notFitError } from './errors';

/**
 * The byte layout of a FIT file, read before any decoder runs: a FIT file is a header
 * (12 or 14 bytes, ".FIT" at byte 8, data size at byte 4), the data, and a 2-byte CRC.
 * Devices may chain several such files back to back; decoders read only the first.
 */
export interface FitSegment {
  offset: number;
  headerSize: number;
  /** Offset just past the CRC (or where the CRC should be, when the segment is incomplete). */
  end: number;
  /** False when the bytes stop before the data and CRC the header announces. */
  complete: boolean;
}

const CRC_SIZE = 2;

function readHeader(bytes: Uint8Array, offset: number): { headerSize: number; dataSize: number } | undefined {
  if (bytes.length - offset < 12) return undefined;
  const headerSize = bytes[offset];
  if (headerSize !== 12 && headerSize !== 14) return undefined;
  if (String.fromCharCode(...bytes.subarray(offset + 8, offset + 12)) !== '.FIT') return undefined;
  const dataSize = new DataView(bytes.buffer, bytes.byteOffset + offset + 4, 4).getUint32(0, true);
  return { headerSize, dataSize };
}

/** True when the rest of the file is zero padding, which some writers leave after the CRC. */
function onlyPadding(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

/** Splits a (possibly chained) FIT file into its segments; throws when it is not FIT at all. */
export function splitFitChain(bytes: Uint8Array): FitSegment[] {
  const first = readHeader(bytes, 0);
  if (!first) throw notFitError(bytes, bytes.length < 12 ? `only ${bytes.length} bytes` : 'no ".FIT" signature in its header');
  const segments: FitSegment[] = [];
  let offset = 0;
  while (offset < bytes.length && !(segments.length > 0 && onlyPadding(bytes, offset))) {
    const header = readHeader(bytes, offset);
    if (!header) {
      throw new FitFileError(
        'corrupt',
        `corrupt: the file goes on after its activity with ${bytes.length - offset} bytes that are not a valid FIT header (at byte ${offset})`,
      );
    }
    const end = offset + header.headerSize + header.dataSize + CRC_SIZE;
    const complete = end <= bytes.length;
    segments.push({ offset, headerSize: header.headerSize, end: Math.min(end, bytes.length), complete });
    if (!complete) break;
    offset = end;
  }
  return segments;
}
