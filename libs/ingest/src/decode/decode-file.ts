import { DomainError, MappedRun } from '@deload/domain';
import { mapActivityFile } from '../formats/activity-file';
import { ExportActivity, parseActivitiesCsv } from '../formats/strava-export-csv';

/** What to decode: one activity file (FIT, GPX, TCX, gzipped or not), or a Strava export's activities.csv. */
export type DecodeRequest = { kind: 'activity-file'; bytes: Uint8Array; maxBytes: number } | { kind: 'activities-csv'; bytes: Uint8Array };

export interface DecodedValue {
  'activity-file': MappedRun[];
  'activities-csv': ExportActivity[];
}

/**
 * A decode's outcome as plain data (it crosses a thread boundary, where error classes are lost):
 * the value, or the reason the file is refused. `internal` holds the stack when a decoder failed in
 * a way it does not describe (a library bug met by a strange file): still the file's rejection,
 * but worth a log line.
 */
export type DecodeResult<T> =
  { ok: true; value: T } | { ok: false; reason: string; kind: DomainError['kind']; details?: Record<string, unknown>; internal?: string };

/** Bytes in, runs (or export lines) out: pure, no I/O, so it runs in a worker thread, a queue worker or a test alike. */
export function decodeFile<R extends DecodeRequest>(request: R): DecodeResult<DecodedValue[R['kind']]> {
  try {
    const value =
      request.kind === 'activity-file'
        ? mapActivityFile(request.bytes, { maxBytes: request.maxBytes })
        : parseActivitiesCsv(Buffer.from(request.bytes).toString('utf8'));
    return { ok: true, value: value as DecodedValue[R['kind']] };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, reason: error.message, kind: error.kind, details: error.details };
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: `could not be read: the decoder failed on it (${message.slice(0, 200)})`,
      kind: 'invalid',
      internal: error instanceof Error ? error.stack : message,
    };
  }
}
