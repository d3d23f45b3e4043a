import { FitSegment, splitFitChain } from './container';
import { decodeWithFitFileParser, decodeWithFitSdk } from './decoders';
import { FitFileError } from './errors';
import { FIELDS_READ, FitMessages, mergeMessages, stringField } from './messages';

/** Largest FIT file we decode (a 10-hour run with 1 s records is ~3 MB). */
export const DEFAULT_MAX_FIT_BYTES = 64 * 1024 * 1024;

export interface DecodeOptions {
  maxBytes?: number;
}

export interface DecodedFit {
  messages: FitMessages;
  /** Data-quality notes: `truncated` when only the part before the damage could be read. */
  flags: string[];
}

/**
 * Decodes a FIT file (possibly several chained) into messages, or throws a FitFileError.
 *
 * Bad-CRC policy: a file whose checksum does not match is rejected, never imported. A mismatch
 * means bytes changed after the device wrote them and we cannot tell which; a corrupted distance
 * or duration would silently feed the load rules and could trigger (or hide) an alert.
 * Truncation is different: the bytes present are what the device wrote, so the activity before
 * the cut is kept (read with @garmin/fitsdk) and flagged `truncated`.
 */
export function decodeFit(bytes: Uint8Array, options: DecodeOptions = {}): DecodedFit {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FIT_BYTES;
  if (bytes.length === 0) throw new FitFileError('empty', 'empty file: it has no bytes');
  if (bytes.length > maxBytes) {
    throw new FitFileError('too_large', `too large: ${megabytes(bytes.length)}, more than the ${megabytes(maxBytes)} a FIT file may have`);
  }
  const flags = new Set<string>();
  const parts = splitFitChain(bytes).map((segment) => decodeSegment(bytes, segment, flags));
  const messages = parts.length === 1 ? parts[0] : mergeMessages(parts);
  if (messages.sessions.length === 0 && !messages.records.some((record) => record.timestamp instanceof Date)) {
    const fileType = stringField(messages.fileIds[0], 'type');
    const kind = fileType && fileType !== 'activity' ? `it is a "${fileType}" file` : 'it has no session and no track points';
    throw new FitFileError('no_activity', `no activity in file: ${kind}`);
  }
  return { messages, flags: [...flags] };
}

function decodeSegment(bytes: Uint8Array, segment: FitSegment, flags: Set<string>): FitMessages {
  const slice = bytes.subarray(segment.offset, segment.end);
  if (!segment.complete) return decodeTruncated(slice, segment, flags);
  const messages = decodeWithFitFileParser(slice, segment.offset);
  if (shadowedNativeFields(messages).length === 0) return messages;
  // fit-file-parser writes developer fields over native fields of the same name; Garmin's SDK keeps them apart.
  const { messages: separated, error } = decodeWithFitSdk(slice);
  if (!error) return separated;
  flags.add('developer_field_shadowing');
  return messages;
}

function decodeTruncated(slice: Uint8Array, segment: FitSegment, flags: Set<string>): FitMessages {
  const { messages } = decodeWithFitSdk(slice);
  const usable = messages.sessions.length > 0 || messages.records.length > 0 || segment.offset > 0;
  if (!usable) {
    throw new FitFileError(
      'truncated',
      `truncated: the file stops at byte ${segment.end} before its data ends, and nothing usable comes before the cut`,
    );
  }
  flags.add('truncated');
  return messages;
}

/** Developer fields named like a native field we read (a "depth" on a dive record is harmless). */
function shadowedNativeFields(messages: FitMessages): string[] {
  return messages.fieldDescriptions
    .map((description) => stringField(description, 'field_name'))
    .filter((name): name is string => name !== undefined && FIELDS_READ.has(name));
}

function megabytes(size: number): string {
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
