import { z } from 'zod';
import { isRunningSport, PAIN_LOCATIONS, Sport } from '@deload/domain';
import { dayOfDate, LocalCalendar } from '../calendar';

/**
 * The replay format (DESIGN.md → Contracts → Replay format): NDJSON, one object per line, grouped
 * by `athlete` (default "me"). Unknown fields are ignored, so `deload fit-summary` output (which adds
 * sport, device, records) can be fed in; a run whose `sport` is not a running sport is skipped.
 */
const DEFAULT_ATHLETE = 'me';
const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, `must be ${what}`);
const athleteId = text('a non-empty string').default(DEFAULT_ATHLETE);
const nonNegative = (unit: string) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .min(0, `must be a number of ${unit} ≥ 0`)
    .nullish();

/**
 * Exports write a flat run's elevation loss as a small negative (Strava: -0.3 m), rounding noise
 * around 0: anything above -1 m is read as 0 m, while a loss of -1 m or less is still a bad line.
 */
const ROUNDING_NOISE_M = -1;
const elevationLossMetres = z
  .number({ error: 'must be a number of metres' })
  .transform((metres) => (metres < 0 && metres > ROUNDING_NOISE_M ? 0 : metres))
  .pipe(z.number().min(0, 'must be a number of metres ≥ 0'))
  .nullish();

const athleteLine = z.object({
  type: z.literal('athlete'),
  athlete: athleteId,
  timezone: text('an IANA time zone such as "Europe/Oslo"')
    .refine(LocalCalendar.isValidZone, 'must be an IANA time zone such as "Europe/Oslo"')
    .nullish(),
  units: z.enum(['km', 'mi'], { error: 'must be "km" or "mi"' }).nullish(),
});

const shoeLine = z.object({
  type: z.literal('shoe'),
  athlete: athleteId,
  id: text('a non-empty string'),
  name: z.string({ error: 'must be a string' }).nullish(),
  distance_m: nonNegative('metres'),
  retire_m: z.number({ error: 'must be a number of metres' }).positive('must be a number of metres > 0').nullish(),
  retired: z.boolean({ error: 'must be true or false' }).nullish(),
});

const ISO_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

const runLine = z.object({
  type: z.literal('run'),
  athlete: athleteId,
  id: text('a non-empty string'),
  start: z
    .string({ error: 'must be an ISO 8601 date-time such as "2025-03-02T07:10:00+01:00"' })
    .regex(ISO_START, { error: 'must be an ISO 8601 date-time such as "2025-03-02T07:10:00+01:00"', abort: true })
    .refine(
      (value) => dayOfDate(value.slice(0, 10)) !== null && (!OFFSET.test(value) || !Number.isNaN(Date.parse(value))),
      'is not a real date-time',
    ),
  distance_m: z.number({ error: 'must be a number of metres' }).min(0, 'must be a number of metres ≥ 0'),
  moving_s: nonNegative('seconds'),
  elapsed_s: nonNegative('seconds'),
  elevation_gain_m: z.number({ error: 'must be a number of metres' }).nullish(),
  elevation_loss_m: elevationLossMetres,
  cadence_spm: nonNegative('steps per minute'),
  avg_hr: nonNegative('beats per minute'),
  shoe: text('a shoe id').nullish(),
  sport: z.string({ error: 'must be a string' }).nullish(),
});

const painLine = z.object({
  type: z.literal('pain'),
  athlete: athleteId,
  run: text('the id of a run'),
  location: z.enum(PAIN_LOCATIONS, { error: `must be one of ${PAIN_LOCATIONS.join(', ')}` }).nullish(),
  onset_m: nonNegative('metres'),
  onset_s: nonNegative('seconds'),
  severity: z
    .number({ error: 'must be a whole number from 0 to 10' })
    .int('must be a whole number from 0 to 10')
    .min(0)
    .max(10, 'must be a whole number from 0 to 10')
    .nullish(),
  has_pain: z.boolean({ error: 'must be true or false' }).nullish(),
});

const SCHEMAS = { athlete: athleteLine, shoe: shoeLine, run: runLine, pain: painLine } as const;

export type AthleteLine = z.output<typeof athleteLine>;
export type ShoeLine = z.output<typeof shoeLine>;
export type RunLine = z.output<typeof runLine>;
export type PainLine = z.output<typeof painLine>;
export type ReplayLine = AthleteLine | ShoeLine | RunLine | PainLine;

export type ParsedLine = { ok: true; line: ReplayLine } | { ok: true; line: null; skipped: string } | { ok: false; error: string };

/** Parses one NDJSON line; blank lines are skipped without complaint. */
export function parseReplayLine(raw: string): ParsedLine {
  return parseWith(raw, checkedLine);
}

/**
 * The same, for a reader that only reads the format's fields (the replay): a good line is checked
 * where JSON.parse left it, not copied, so it may also carry the fields the format ignores.
 */
export function parseReplayLineInPlace(raw: string): ParsedLine {
  return parseWith(raw, checkedInPlace);
}

/** The same through the zod schemas alone (replay-lines.spec.ts compares both). */
export function parseReplayLineWithSchema(raw: string): ParsedLine {
  return parseWith(raw, () => null);
}

function parseWith(raw: string, fastCheck: typeof checkedLine): ParsedLine {
  if (!raw.trim()) return { ok: true, line: null, skipped: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'must be a JSON object' };
  const type = (value as { type?: unknown }).type;
  const schema = typeof type === 'string' && Object.hasOwn(SCHEMAS, type) ? SCHEMAS[type as keyof typeof SCHEMAS] : null;
  if (!schema) return { ok: false, error: `unknown type ${JSON.stringify(type ?? null)} (expected athlete, shoe, run or pain)` };
  const checked = fastCheck(type as keyof typeof SCHEMAS, value as Record<string, unknown>);
  const result = checked ? { success: true as const, data: checked } : schema.safeParse(value);
  if (!result.success) {
    return {
      ok: false,
      error: `${type}: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'line'} ${issue.message}`).join('; ')}`,
    };
  }
  if (result.data.type === 'run' && result.data.sport && !isRunningSport(result.data.sport as Sport)) {
    return { ok: true, line: null, skipped: `not a run (sport ${result.data.sport})` };
  }
  return { ok: true, line: result.data };
}

/**
 * The hot path of parseReplayLine: the same checks as the zod schemas above, by hand (zod costs
 * more than the rest of reading a line). Returns what the schema would, or null when the line is
 * not valid; then the schema parses it again and writes the messages, so they stay the schema's.
 * replay-lines.spec.ts checks that both agree on a corpus of good and bad lines.
 */
type FieldCheck = (value: unknown) => boolean;
type Field = readonly [name: string, check: FieldCheck, presence: 'required' | 'nullish'];

const isText: FieldCheck = (value) => typeof value === 'string' && value.length > 0;
const isString: FieldCheck = (value) => typeof value === 'string';
const isNumber: FieldCheck = (value) => typeof value === 'number' && Number.isFinite(value);
const isNonNegative: FieldCheck = (value) => isNumber(value) && (value as number) >= 0;
const isBoolean: FieldCheck = (value) => typeof value === 'boolean';
const isStart: FieldCheck = (value) => {
  if (typeof value !== 'string' || !ISO_START.test(value) || dayOfDate(value.slice(0, 10)) === null) return false;
  const instant = instantOf(value);
  return instant === null || !Number.isNaN(instant);
};
const PAIN_LOCATION_SET: ReadonlySet<unknown> = new Set(PAIN_LOCATIONS);

const FIELDS: Record<keyof typeof SCHEMAS, readonly Field[]> = {
  athlete: [
    ['timezone', (value) => isText(value) && LocalCalendar.isValidZone(value as string), 'nullish'],
    ['units', (value) => value === 'km' || value === 'mi', 'nullish'],
  ],
  shoe: [
    ['id', isText, 'required'],
    ['name', isString, 'nullish'],
    ['distance_m', isNonNegative, 'nullish'],
    ['retire_m', (value) => isNumber(value) && (value as number) > 0, 'nullish'],
    ['retired', isBoolean, 'nullish'],
  ],
  run: [
    ['id', isText, 'required'],
    ['start', isStart, 'required'],
    ['distance_m', isNonNegative, 'required'],
    ['moving_s', isNonNegative, 'nullish'],
    ['elapsed_s', isNonNegative, 'nullish'],
    ['elevation_gain_m', isNumber, 'nullish'],
    ['elevation_loss_m', (value) => isNumber(value) && (value as number) > ROUNDING_NOISE_M, 'nullish'],
    ['cadence_spm', isNonNegative, 'nullish'],
    ['avg_hr', isNonNegative, 'nullish'],
    ['shoe', isText, 'nullish'],
    ['sport', isString, 'nullish'],
  ],
  pain: [
    ['run', isText, 'required'],
    ['location', (value) => PAIN_LOCATION_SET.has(value), 'nullish'],
    ['onset_m', isNonNegative, 'nullish'],
    ['onset_s', isNonNegative, 'nullish'],
    ['severity', (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10, 'nullish'],
    ['has_pain', isBoolean, 'nullish'],
  ],
};

function checkedLine(type: keyof typeof SCHEMAS, value: Record<string, unknown>): ReplayLine | null {
  const athlete = value.athlete === undefined ? DEFAULT_ATHLETE : value.athlete;
  if (!isText(athlete)) return null;
  const line: Record<string, unknown> = { type, athlete };
  for (const [name, check, presence] of FIELDS[type]) {
    const field = value[name];
    if (field === undefined || field === null) {
      if (presence === 'required') return null;
      if (field === null) line[name] = null;
    } else if (check(field)) line[name] = field;
    else return null;
  }
  if (typeof line.elevation_loss_m === 'number' && line.elevation_loss_m < 0) line.elevation_loss_m = 0;
  return line as unknown as ReplayLine;
}

/** checkedLine without the copy: the parsed object itself, its athlete defaulted and loss rounded as the schema does. */
function checkedInPlace(type: keyof typeof SCHEMAS, value: Record<string, unknown>): ReplayLine | null {
  const athlete = value.athlete === undefined ? DEFAULT_ATHLETE : value.athlete;
  if (!isText(athlete)) return null;
  const fields = FIELDS[type];
  for (let index = 0; index < fields.length; index++) {
    const field = value[fields[index][0]];
    if (field === undefined || field === null) {
      if (fields[index][2] === 'required') return null;
    } else if (!fields[index][1](field)) return null;
  }
  value.athlete = athlete;
  if (typeof value.elevation_loss_m === 'number' && value.elevation_loss_m < 0) value.elevation_loss_m = 0;
  return value as unknown as ReplayLine;
}

let lastStart = '';
let lastInstant: number | null = null;

/** The instant of a start that carries its offset (or Z); null for wall-clock time without one. */
export function instantOf(start: string): number | null {
  // The line check and the replay ask for the same start one after the other.
  if (start !== lastStart) {
    lastStart = start;
    lastInstant = OFFSET.test(start) ? Date.parse(start) : null;
  }
  return lastInstant;
}

/** The instant of a run's start; a start without an offset is wall-clock time in the athlete's zone. */
export function runStartMs(start: string, calendar: LocalCalendar): number | null {
  return instantOf(start) ?? calendar.parseLocal(start);
}
