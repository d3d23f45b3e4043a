/**
 * Decoded FIT messages in one shape whichever decoder produced them: snake_case field names
 * as in the FIT profile (`total_distance`, `start_time`), enum values as snake_case strings
 * (`running`, `trail`), date_time fields as Dates.
 */
export type FitMessage = Record<string, unknown>;

export interface FitMessages {
  fileIds: FitMessage[];
  activities: FitMessage[];
  sessions: FitMessage[];
  laps: FitMessage[];
  records: FitMessage[];
  sports: FitMessage[];
  fieldDescriptions: FitMessage[];
}

export function emptyMessages(): FitMessages {
  return { fileIds: [], activities: [], sessions: [], laps: [], records: [], sports: [], fieldDescriptions: [] };
}

export function mergeMessages(parts: FitMessages[]): FitMessages {
  const merged = emptyMessages();
  for (const part of parts) {
    for (const key of Object.keys(merged) as (keyof FitMessages)[]) merged[key].push(...part[key]);
  }
  return merged;
}

/**
 * Every native field the mapping reads (session, lap, record, activity). A developer field with
 * one of these names would overwrite it in fit-file-parser's output, so decode.ts then switches
 * to Garmin's SDK; keep this list in step with map.ts, samples.ts and time.ts.
 */
export const FIELDS_READ = new Set([
  'timestamp',
  'local_timestamp',
  'start_time',
  'sport',
  'sub_sport',
  'total_distance',
  'total_timer_time',
  'total_elapsed_time',
  'total_ascent',
  'total_descent',
  'avg_heart_rate',
  'avg_cadence',
  'avg_running_cadence',
  'avg_fractional_cadence',
  'distance',
  'altitude',
  'enhanced_altitude',
  'heart_rate',
  'cadence',
  'fractional_cadence',
]);

/** FIT date_time counts seconds from 1989-12-31T00:00:00Z. */
export const FIT_EPOCH_MS = Date.UTC(1989, 11, 31);

/** Below this, a FIT date_time is seconds since the device powered on, not a real date (FIT profile). */
export const FIT_SYSTEM_TIME_LIMIT_MS = FIT_EPOCH_MS + 0x10000000 * 1000;

export function numberField(message: FitMessage | undefined, name: string): number | undefined {
  const value = message?.[name];
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function stringField(message: FitMessage | undefined, name: string): string | undefined {
  const value = message?.[name];
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

export function dateField(message: FitMessage | undefined, name: string): Date | undefined {
  const value = message?.[name];
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  return typeof value === 'number' ? new Date(FIT_EPOCH_MS + value * 1000) : undefined;
}
