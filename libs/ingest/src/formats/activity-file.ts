import { gunzipSync } from 'node:zlib';
import { MappedRun } from '@deload/domain';
import { DEFAULT_MAX_FIT_BYTES, FitFileError, mapFitFile } from '@deload/fit';
import { mapGpx } from './gpx';
import { mapTcx } from './tcx';

export type ContentKind = 'gzip' | 'zip' | 'fit' | 'gpx' | 'tcx' | 'unknown';

/** What a file is, by its first bytes (names lie: a PNG renamed .fit is still a PNG). */
export function sniff(bytes: Uint8Array): ContentKind {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(8, 12)) === '.FIT') return 'fit';
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('utf8');
  if (/<gpx[\s>]/.test(head)) return 'gpx';
  if (/<TrainingCenterDatabase[\s>]/.test(head)) return 'tcx';
  return 'unknown';
}

function gunzip(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FitFileError('too_large', `too large: the .gz unpacks to more than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    }
    throw new FitFileError('corrupt', `corrupt: the .gz cannot be unpacked (${(error as Error).message})`);
  }
}

export interface ActivityFileOptions {
  maxBytes?: number;
}

/**
 * One activity file — FIT, GPX, TCX, or any of them gzipped — as runs. Anything else is
 * refused with the reason the FIT decoder gives ("not a FIT file (it looks like a PNG image)").
 */
export function mapActivityFile(bytes: Uint8Array, options: ActivityFileOptions = {}): MappedRun[] {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FIT_BYTES;
  const kind = sniff(bytes);
  if (kind === 'gzip') {
    const inner = gunzip(bytes, maxBytes);
    if (sniff(inner) === 'gzip') throw new FitFileError('corrupt', 'corrupt: a .gz inside a .gz');
    return mapActivityFile(inner, options);
  }
  if (kind === 'gpx') return mapGpx(Buffer.from(bytes).toString('utf8'));
  if (kind === 'tcx') return mapTcx(Buffer.from(bytes).toString('utf8'));
  return mapFitFile(bytes, { maxBytes }).map(({ run }) => run);
}
