import { DomainError, MappedRun } from '@deload/domain';
import { mapActivityFile } from '../formats/activity-file';
import { GarminCsvOptions, GarminCsvResult, parseGarminConnectCsv } from '../formats/garmin-connect-csv';
import { parseGarminSummaries } from '../formats/garmin-connect-export';
import { ParsedExport } from '../formats/parsed-entry';
import { parsePolarTrainingSession } from '../formats/polar-flow';
import { ExportActivity, parseActivitiesCsv } from '../formats/strava-export-csv';
import { decodeText } from '../formats/text';

/**
 * What to decode: one activity file (FIT, GPX, TCX, gzipped or not), a Strava export's
 * activities.csv, a Garmin Connect activities CSV or summaries JSON, or a Polar Flow session.
 */
export type DecodeRequest =
  | { kind: 'activity-file'; bytes: Uint8Array; maxBytes: number }
  | { kind: 'activities-csv'; bytes: Uint8Array }
  | { kind: 'garmin-csv'; bytes: Uint8Array; options: GarminCsvOptions }
  | { kind: 'garmin-summaries'; bytes: Uint8Array; fileName: string }
  | { kind: 'polar-session'; bytes: Uint8Array; fileName: string };

export interface DecodedValue {
  'activity-file': MappedRun[];
  'activities-csv': ExportActivity[];
  'garmin-csv': GarminCsvResult;
  'garmin-summaries': ParsedExport;
  'polar-session': ParsedExport;
}

/**
 * A decode's outcome as plain data (it crosses a thread boundary, where error classes are lost):
 * the value, or the reason the file is refused. `internal` holds the stack when a decoder failed in
 * a way it does not describe (a library bug met by a strange file): still the file's rejection,
 * but worth a log line.
 */
export type DecodeResult<T> =
  { ok: true; value: T } | { ok: false; reason: string; kind: DomainError['kind']; details?: Record<string, unknown>; internal?: string };

function decodeValue(request: DecodeRequest): DecodedValue[DecodeRequest['kind']] {
  switch (request.kind) {
    case 'activity-file':
      return mapActivityFile(request.bytes, { maxBytes: request.maxBytes });
    case 'activities-csv':
      return parseActivitiesCsv(decodeText(request.bytes, 'activities.csv').text);
    case 'garmin-csv':
      return parseGarminConnectCsv(request.bytes, request.options);
    case 'garmin-summaries':
      return parseGarminSummaries(request.bytes, request.fileName);
    case 'polar-session':
      return parsePolarTrainingSession(request.bytes, request.fileName);
  }
}

/** Bytes in, runs (or export lines) out: pure, no I/O, so it runs in a worker thread, a queue worker or a test alike. */
export function decodeFile<R extends DecodeRequest>(request: R): DecodeResult<DecodedValue[R['kind']]> {
  try {
    return { ok: true, value: decodeValue(request) as DecodedValue[R['kind']] };
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
