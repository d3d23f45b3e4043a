import { parse } from 'csv-parse/sync';
import { isRunningSport, MappedRun, METRES_PER_MILE, Sport } from '@deload/domain';
import {
  foldHeader,
  GARMIN_HEADERS,
  GARMIN_LANGUAGE_NAMES,
  GarminField,
  GarminLanguage,
  garminCsvLanguage,
  looksLikeGarminActivityRow,
} from './garmin-csv-headers';
import { assertTimeZone, DateOrder, dateOrderOf, formatLocal, LocalDateTime, localToInstant, parseLocalDateTime } from './local-time';
import { DecimalMark, decimalMarkOf, parseClockDuration, parseNumber } from './localised';
import { compact, ParsedEntry, ParsedExport, rejected } from './parsed-entry';
import { checkedEntry } from './sanitise';
import { sportFromWords } from './sport-words';
import { decodeText } from './text';
import { TrackFormatError } from './track-format-error';

export type DistanceUnit = 'km' | 'mi';

export interface GarminCsvOptions {
  /** The runner's IANA zone: the CSV's times are wall-clock times without one. */
  timeZone?: string;
  /** The unit the account exports distances in, when the runner said; otherwise worked out from the file. */
  distanceUnit?: DistanceUnit;
  /** The file's name in messages. */
  fileName?: string;
}

export interface GarminCsvResult extends ParsedExport {
  language: GarminLanguage;
  distanceUnit: DistanceUnit;
}

const FEET = 0.3048;
const YARD = 0.9144;
/** Below this many rows with evidence, the stride check does not decide alone. */
const MIN_EVIDENCE_ROWS = 3;

/** One CSV line with the fields we use, still as text. */
interface Row {
  line: number;
  cells: Partial<Record<GarminField, string>>;
}

function empty(value: string | undefined): boolean {
  const text = (value ?? '').trim();
  return text === '' || text === '--' || text === '—';
}

function readCsv(text: string, name: string): string[][] {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new TrackFormatError(`${name} cannot be read as CSV: ${(error as Error).message}`);
  }
}

function columnsOf(headers: string[], language: GarminLanguage): Partial<Record<GarminField, number>> {
  const folded = headers.map(foldHeader);
  const columns: Partial<Record<GarminField, number>> = {};
  for (const [field, names] of Object.entries(GARMIN_HEADERS[language]) as [GarminField, string[]][]) {
    const index = folded.findIndex((header) => names.includes(header));
    if (index >= 0) columns[field] = index;
  }
  return columns;
}

/** What to say about a CSV whose header is in no language we read. */
function unsupportedHeader(name: string, headers: string[], rows: string[][]): TrackFormatError {
  const shown = headers.slice(0, 4).join(', ');
  const languages = Object.values(GARMIN_LANGUAGE_NAMES).join(', ');
  if (rows.slice(0, 5).some(looksLikeGarminActivityRow)) {
    return new TrackFormatError(
      `${name} looks like a Garmin Connect activities CSV in a language we do not read (its columns start "${shown}"); ` +
        `we read it in ${languages}: switch Garmin Connect to one of them and export again, or send Garmin's full account export`,
      'unsupported',
    );
  }
  return new TrackFormatError(`${name} is not a Garmin Connect activities CSV (its columns start "${shown}")`, 'unsupported');
}

// ---- units ------------------------------------------------------------------------------------

interface UnitDecision {
  unit: DistanceUnit;
  evidence: string;
}

interface RowFigures {
  sport: Sport;
  distance?: number;
  seconds?: number;
  cadence?: number;
  stride?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Cadence × stride length × time is the distance covered: only one of metric (km, stride in
 * m) and imperial (mi, stride in ft) makes it agree with the Distance column.
 */
function unitFromStrides(rows: RowFigures[]): UnitDecision | undefined {
  const votes = { km: 0, mi: 0 };
  let evidence = 0;
  for (const { distance, seconds, cadence, stride } of rows) {
    if (!distance || !seconds || !cadence || !stride) continue;
    evidence += 1;
    const covered = (cadence * seconds) / 60;
    if (Math.abs((covered * stride) / (distance * 1000) - 1) < 0.15) votes.km += 1;
    else if (Math.abs((covered * stride * FEET) / (distance * METRES_PER_MILE) - 1) < 0.15) votes.mi += 1;
  }
  if (evidence < MIN_EVIDENCE_ROWS) return undefined;
  for (const unit of ['km', 'mi'] as const) {
    const other = unit === 'km' ? votes.mi : votes.km;
    if (votes[unit] >= MIN_EVIDENCE_ROWS && votes[unit] >= 0.6 * evidence && other <= 0.1 * evidence) {
      return { unit, evidence: `cadence × stride length matches the distance in ${unit} on ${votes[unit]} of ${evidence} activities` };
    }
  }
  return undefined;
}

/** Median speeds (km/h, reading distances as km) a sport family plausibly has; outside them a unit is ruled out. */
const PLAUSIBLE_KMH: { family: string; of: (sport: Sport) => boolean; min: number; max: number }[] = [
  { family: 'runs', of: isRunningSport, min: 5, max: 16.5 },
  { family: 'walks', of: (sport) => sport === 'walk', min: 2.5, max: 7.5 },
];

function unitFromPace(rows: RowFigures[]): UnitDecision | { ambiguous: string } {
  const notes: string[] = [];
  const allowed = { km: true, mi: true };
  for (const { family, of, min, max } of PLAUSIBLE_KMH) {
    const speeds = rows.filter((row) => of(row.sport) && row.distance && row.seconds).map((row) => (row.distance! / row.seconds!) * 3600);
    if (speeds.length === 0) continue;
    const asKm = median(speeds);
    const asMi = asKm * (METRES_PER_MILE / 1000);
    if (asKm < min || asKm > max) allowed.km = false;
    if (asMi < min || asMi > max) allowed.mi = false;
    notes.push(`its ${family} average ${asKm.toFixed(1)} km/h read as kilometres, ${asMi.toFixed(1)} km/h read as miles`);
  }
  const said = notes.join('; ');
  if (allowed.km !== allowed.mi) {
    const unit = allowed.km ? 'km' : 'mi';
    return { unit, evidence: `only ${unit === 'km' ? 'kilometres' : 'miles'} give plausible speeds (${said})` };
  }
  return { ambiguous: said || 'it has no runs or walks with a distance and a time' };
}

function decideUnit(rows: RowFigures[], name: string, given: DistanceUnit | undefined): UnitDecision {
  if (given) return { unit: given, evidence: 'as given' };
  if (!rows.some((row) => row.distance)) return { unit: 'km', evidence: 'it lists no distances to convert' };
  const fromStrides = unitFromStrides(rows);
  if (fromStrides) return fromStrides;
  const fromPace = unitFromPace(rows);
  if ('unit' in fromPace) return fromPace;
  throw new TrackFormatError(
    `${name}: cannot tell whether its distances are kilometres or miles (${fromPace.ambiguous}); ` +
      'say which unit the Garmin account uses (km or mi) and import it again',
    'ambiguous_units',
  );
}

// ---- rows -------------------------------------------------------------------------------------

interface Context {
  name: string;
  decimalMark: DecimalMark;
  dateOrder: DateOrder;
  unit: DistanceUnit;
  timeZone?: string;
}

function number(row: Row, field: GarminField, context: Pick<Context, 'decimalMark'>): number | undefined {
  const text = row.cells[field];
  return empty(text) ? undefined : parseNumber(text, context.decimalMark);
}

function seconds(row: Row, field: GarminField): number | undefined {
  const text = row.cells[field];
  return empty(text) ? undefined : parseClockDuration(text);
}

/** Swims are listed in metres or yards, everything else in km or miles. */
function metres(distance: number, sport: Sport, unit: DistanceUnit): number {
  if (sport === 'swim') return distance * (unit === 'km' ? 1 : YARD);
  return distance * (unit === 'km' ? 1000 : METRES_PER_MILE);
}

function elevation(value: number | undefined, unit: DistanceUnit): number | undefined {
  return value === undefined ? undefined : unit === 'km' ? value : value * FEET;
}

function describe(name: string, row: Row, local: LocalDateTime | undefined): string {
  const what = [row.cells.type?.trim(), local ? formatLocal(local) : row.cells.date?.trim()].filter(Boolean).join(', ');
  return `${name} line ${row.line}${what ? ` (${what})` : ''}`;
}

function toEntry(row: Row, context: Context): ParsedEntry {
  const local = parseLocalDateTime(row.cells.date, context.dateOrder);
  const ref = describe(context.name, row, local);
  const words = row.cells.type?.trim();
  if (!words) return rejected(ref, 'no activity type');
  if (!local) return rejected(ref, `cannot read the date "${row.cells.date ?? ''}"`);
  const sport = sportFromWords(words) ?? 'other';
  const warnings: string[] = [];
  const distance = number(row, 'distance', context);
  if (distance === undefined && isRunningSport(sport)) return rejected(ref, 'the row has no distance');
  if (distance !== undefined && distance < 0) return rejected(ref, `negative distance ${row.cells.distance}`);
  if (distance === 0 && isRunningSport(sport)) warnings.push('the watch recorded no distance (0 km)');
  const time = seconds(row, 'time');
  const { startUtc, utcOffsetS, flag } = localToInstant(local, context.timeZone);
  const isoLocal = `${formatLocal(local).replace(' ', 'T')}:${String(local.second).padStart(2, '0')}`;
  const run: MappedRun = compact({
    source: 'import',
    externalId: `garmin-csv-${isoLocal}`,
    sport,
    sourceSport: words,
    name: empty(row.cells.title) ? undefined : row.cells.title!.trim(),
    startUtc,
    utcOffsetS,
    distanceM: distance === undefined ? 0 : metres(distance, sport, context.unit),
    movingS: seconds(row, 'movingTime') ?? time,
    elapsedS: seconds(row, 'elapsedTime') ?? time,
    elevationGainM: elevation(number(row, 'ascent', context), context.unit),
    elevationLossM: elevation(number(row, 'descent', context), context.unit),
    avgHr: number(row, 'avgHr', context),
    // Garmin lists running cadence in steps per minute already.
    avgCadenceSpm: number(row, 'runCadence', context),
    flags: [flag, 'summary_only'],
  });
  return checkedEntry(ref, run, warnings);
}

/**
 * Garmin Connect's Activities → Export CSV, in any of the languages in garmin-csv-headers.ts: one
 * entry per line, non-running sports kept with their sport. The file's decimal mark, date order
 * and distance unit are worked out from the file itself (the unit from cadence × stride length,
 * else from which unit gives plausible paces) — and when the unit cannot be told, the file is
 * refused with problem `ambiguous_units` rather than guessed: pass `distanceUnit` then.
 */
export function parseGarminConnectCsv(input: Uint8Array | string, options: GarminCsvOptions = {}): GarminCsvResult {
  const name = options.fileName ?? 'Activities.csv';
  assertTimeZone(options.timeZone);
  const decoded = typeof input === 'string' ? { text: input, warning: undefined } : decodeText(input, name);
  const [headers = [], ...records] = readCsv(decoded.text.replace(/^\ufeff/, ''), name);
  const language = garminCsvLanguage(headers);
  if (!language) throw unsupportedHeader(name, headers, records);
  const columns = columnsOf(headers, language);
  const missing = (['distance'] as GarminField[]).filter((field) => columns[field] === undefined);
  if (missing.length || (columns.time ?? columns.movingTime ?? columns.elapsedTime) === undefined) {
    throw new TrackFormatError(`${name} has no ${missing.length ? 'distance' : 'time'} column`, 'missing_columns');
  }
  const rows: Row[] = records.map((cells, index) => ({
    line: index + 2,
    cells: Object.fromEntries(Object.entries(columns).map(([field, column]) => [field, cells[column]])),
  }));
  const decimalMark = decimalMarkOf(rows.flatMap((row) => Object.values(row.cells) as string[])) ?? '.';
  const order = dateOrderOf(rows.map((row) => row.cells.date ?? ''));
  const warnings = decoded.warning ? [decoded.warning] : [];
  if (order === 'ambiguous') warnings.push(`${name}: its dates read both day-first and month-first; read day-first`);
  const figures: RowFigures[] = rows.map((row) => {
    const sport = sportFromWords(row.cells.type) ?? 'other';
    return {
      sport,
      distance: sport === 'swim' ? undefined : number(row, 'distance', { decimalMark }),
      seconds: seconds(row, 'movingTime') ?? seconds(row, 'time'),
      cadence: number(row, 'runCadence', { decimalMark }),
      stride: number(row, 'strideLength', { decimalMark }),
    };
  });
  const unit = decideUnit(figures, name, options.distanceUnit);
  if (unit.evidence !== 'as given') warnings.push(`${name}: distances read in ${unit.unit} (${unit.evidence})`);
  const context: Context = {
    name,
    decimalMark,
    dateOrder: order === 'month-first' ? 'month-first' : 'day-first',
    unit: unit.unit,
    timeZone: options.timeZone,
  };
  return { language, distanceUnit: unit.unit, entries: rows.map((row) => toEntry(row, context)), warnings };
}
