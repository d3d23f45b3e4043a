import FitParser from 'fit-file-parser';
import { Decoder, Stream } from '@garmin/fitsdk';
import { FitFileError } from './errors';
import { emptyMessages, FitMessage, FitMessages } from './messages';

/**
 * fit-file-parser, strict: header and file CRCs checked. It reports problems three ways —
 * a string through the callback, a synchronous throw, or (with `force`) not at all — so every
 * outcome is turned into FitMessages or a FitFileError here.
 */
export function decodeWithFitFileParser(segment: Uint8Array, offset: number): FitMessages {
  let failure: string | undefined;
  let parsed: Record<string, unknown> | undefined;
  try {
    new FitParser({ force: false, mode: 'list' }).parse(segment as Buffer<ArrayBuffer>, (error, data) => {
      failure = error;
      parsed = data as Record<string, unknown> | undefined;
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined || !parsed) throw parserFailure(failure ?? 'no data', offset);
  return {
    fileIds: list(parsed.file_ids),
    activities: parsed.activity ? [parsed.activity as FitMessage] : [],
    sessions: list(parsed.sessions),
    laps: list(parsed.laps),
    records: list(parsed.records),
    sports: list(parsed.sports),
    fieldDescriptions: list(parsed.field_descriptions),
  };
}

function list(value: unknown): FitMessage[] {
  return Array.isArray(value) ? (value as FitMessage[]) : [];
}

function parserFailure(reason: string, offset: number): FitFileError {
  const where = offset > 0 ? ` (in the FIT file chained at byte ${offset})` : '';
  if (/CRC mismatch/i.test(reason)) {
    return new FitFileError(
      'bad_crc',
      `bad CRC${where}: the file's checksum does not match its contents, so it was damaged after the device wrote it; export it again from the device or app`,
    );
  }
  return new FitFileError('corrupt', `corrupt${where}: ${reason.replace(/\.$/, '')}`);
}

const FITSDK_COLLECTIONS: Record<keyof FitMessages, string> = {
  fileIds: 'fileIdMesgs',
  activities: 'activityMesgs',
  sessions: 'sessionMesgs',
  laps: 'lapMesgs',
  records: 'recordMesgs',
  sports: 'sportMesgs',
  fieldDescriptions: 'fieldDescriptionMesgs',
};

/** Enum-valued fields whose strings @garmin/fitsdk gives in camelCase. */
const ENUM_FIELDS = new Set(['sport', 'sub_sport', 'manufacturer', 'type', 'event', 'event_type', 'garmin_product']);

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function fromFitSdkMessage(message: Record<string, unknown>): FitMessage {
  const converted: FitMessage = {};
  for (const [key, value] of Object.entries(message)) {
    // Developer fields stay apart under `developerFields` in @garmin/fitsdk: never mixed with native ones.
    if (key === 'developerFields') continue;
    const name = snakeCase(key);
    converted[name] = ENUM_FIELDS.has(name) && typeof value === 'string' ? snakeCase(value) : value;
  }
  return converted;
}

export interface FitSdkResult {
  messages: FitMessages;
  /** The decoder's complaint, if it stopped early (truncated data, compressed timestamps…). */
  error?: string;
}

/**
 * Garmin's FIT SDK: returns every message before the point where it had to stop, which makes it
 * the fallback for truncated files; it also keeps developer fields apart from native ones. It
 * cannot read compressed-timestamp records, so it is never the first choice.
 */
export function decodeWithFitSdk(segment: Uint8Array): FitSdkResult {
  const decoder = new Decoder(Stream.fromBuffer(segment as Buffer));
  const { messages, errors } = decoder.read({ mergeHeartRates: false, includeUnknownData: false });
  const result = emptyMessages();
  for (const key of Object.keys(result) as (keyof FitMessages)[]) {
    const collection = (messages as Record<string, Record<string, unknown>[] | undefined>)[FITSDK_COLLECTIONS[key]] ?? [];
    result[key] = collection.map(fromFitSdkMessage);
  }
  const error = errors[0];
  return { messages: result, error: error === undefined ? undefined : error instanceof Error ? error.message : String(error) };
}
