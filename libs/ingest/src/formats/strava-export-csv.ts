import { parse } from 'csv-parse/sync';
import { countsCadencePerLeg, isRunningSport, MappedRun, METRES_PER_KM, METRES_PER_MILE } from '@deload/domain';
import { parseExportDate, parseLocalisedNumber } from './localised';
import { compact, ParsedEntry, rejected } from './parsed-entry';
import { checkedEntry } from './sanitise';
import { sportFromWords } from './sport-words';
import { TrackFormatError } from './track-format-error';

/** One line of a Strava bulk export's activities.csv, reduced to what we use. */
export interface ExportActivity {
  /** 1-based line in the CSV (after the header), for messages. */
  line: number;
  activityId: string;
  date?: Date;
  dateText: string;
  name?: string;
  type: string;
  description?: string;
  gear?: string;
  /** "activities/123.fit.gz", or undefined for an activity entered by hand. */
  filename?: string;
  distanceM?: number;
  /** Why the distance is missing although the row has one (a display-units value whose unit the export does not tell). */
  distanceProblem?: string;
  /** How the distance was read when the metres column was blank. */
  distanceNote?: string;
  elapsedS?: number;
  movingS?: number;
  elevationGainM?: number;
  elevationLossM?: number;
  avgHr?: number;
  /** Per-leg cadence, as Strava reports it for runs. */
  avgCadence?: number;
  perceivedExertion?: number;
}

const REQUIRED_COLUMNS = ['Activity ID', 'Activity Date', 'Activity Type', 'Distance', 'Filename'];

type Row = Record<string, string | string[] | undefined>;

/** A column's value; with `last`, the later of two same-named columns (Strava repeats "Distance", "Elapsed Time"…). */
function cell(row: Row, column: string, occurrence: 'first' | 'last' = 'first'): string | undefined {
  const value = row[column];
  const text = Array.isArray(value) ? (occurrence === 'last' ? value[value.length - 1] : value[0]) : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function repeated(row: Row, column: string): boolean {
  return Array.isArray(row[column]) && (row[column] as string[]).length > 1;
}

/** The first "Distance" is in the account's display unit (km or mi), the later one in metres. */
interface Distances {
  displayValue?: number;
  metres?: number;
}

function distances(row: Row): Distances {
  // When "Distance" is alone it is the older export's kilometres.
  if (!repeated(row, 'Distance')) {
    const km = parseLocalisedNumber(cell(row, 'Distance'));
    return { metres: km === undefined ? undefined : km * METRES_PER_KM };
  }
  return { displayValue: parseLocalisedNumber(cell(row, 'Distance')), metres: parseLocalisedNumber(cell(row, 'Distance', 'last')) };
}

/**
 * Metres per display unit, from the rows that carry both columns: about 1000 for a metric
 * account, 1609.344 for an imperial one. Undefined when no row tells.
 */
function displayUnitOf(rows: Distances[]): number | undefined {
  const votes = new Map<number, number>();
  for (const { displayValue, metres } of rows) {
    if (!displayValue || !metres) continue;
    const ratio = metres / displayValue;
    const unit = [METRES_PER_KM, METRES_PER_MILE].find((candidate) => Math.abs(ratio / candidate - 1) < 0.03);
    if (unit) votes.set(unit, (votes.get(unit) ?? 0) + 1);
  }
  const [best, second] = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  return best && (!second || best[1] > second[1] * 4) ? best[0] : undefined;
}

function resolveDistance(
  found: Distances,
  unit: number | undefined,
): Pick<ExportActivity, 'distanceM' | 'distanceProblem' | 'distanceNote'> {
  if (found.metres !== undefined || found.displayValue === undefined) return { distanceM: found.metres };
  if (unit === undefined) {
    return {
      distanceProblem: `its metres column is blank and the export does not tell whether its Distance ${found.displayValue} is in km or mi`,
    };
  }
  const name = unit === METRES_PER_KM ? 'km' : 'mi';
  return { distanceM: found.displayValue * unit, distanceNote: `distance read from the display column: ${found.displayValue} ${name}` };
}

function toActivity(
  row: Row,
  line: number,
  distance: Pick<ExportActivity, 'distanceM' | 'distanceProblem' | 'distanceNote'>,
): ExportActivity {
  const dateText = cell(row, 'Activity Date') ?? '';
  return {
    line,
    activityId: cell(row, 'Activity ID') ?? '',
    date: parseExportDate(dateText),
    dateText,
    name: cell(row, 'Activity Name'),
    type: cell(row, 'Activity Type') ?? '',
    description: cell(row, 'Activity Description'),
    gear: cell(row, 'Activity Gear'),
    filename: cell(row, 'Filename'),
    ...distance,
    elapsedS: parseLocalisedNumber(cell(row, 'Elapsed Time', 'last')),
    movingS: parseLocalisedNumber(cell(row, 'Moving Time', 'last')),
    elevationGainM: parseLocalisedNumber(cell(row, 'Elevation Gain', 'last')),
    elevationLossM: parseLocalisedNumber(cell(row, 'Elevation Loss', 'last')),
    avgHr: parseLocalisedNumber(cell(row, 'Average Heart Rate', 'last')),
    avgCadence: parseLocalisedNumber(cell(row, 'Average Cadence', 'last')),
    perceivedExertion: parseLocalisedNumber(cell(row, 'Perceived Exertion', 'last')),
  };
}

/**
 * Parses activities.csv; refuses it whole when a column we need is missing. A row whose metres
 * column is blank takes the display-units Distance, in the unit the other rows show the export
 * uses (km or mi); when no row tells, the activity carries `distanceProblem` instead.
 */
export function parseActivitiesCsv(text: string): ExportActivity[] {
  let header: string[] = [];
  let rows: Row[];
  try {
    rows = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((name) => name.trim())),
      group_columns_by_name: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as Row[];
  } catch (error) {
    throw new TrackFormatError(`activities.csv cannot be read: ${(error as Error).message}`);
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length)
    throw new TrackFormatError(
      `activities.csv is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      'missing_columns',
    );
  const found = rows.map(distances);
  const unit = displayUnitOf(found);
  return rows.map((row, index) => toActivity(row, index + 1, resolveDistance(found[index], unit)));
}

/** "activities.csv line 4 (Run, Mar 2, 2025, 6:10:00 AM)", for messages. */
export function exportActivityRef(activity: ExportActivity): string {
  const what = [activity.type, activity.dateText].filter(Boolean).join(', ');
  return `activities.csv line ${activity.line}${what ? ` (${what})` : ''}`;
}

/**
 * A Strava export activity as a run: measured from its file when it has one (`fromFile`), else
 * from the CSV row alone — flagged `no_activity_file` for an activity entered by hand, and
 * `summary_only` when the row names a file the export lacks or that could not be read (a later
 * import with the file updates the same run: same source and Strava activity id). The CSV names
 * the sport, title, description, gear and effort. Out-of-range optional figures are dropped with
 * a warning; the entry is rejected only without an id, a date (CSV-only) or, for a run, a distance.
 */
export function mapExportActivity(activity: ExportActivity, fromFile: MappedRun | undefined): ParsedEntry {
  const ref = exportActivityRef(activity);
  if (!activity.activityId) return rejected(ref, 'the row has no Activity ID');
  const sport = sportFromWords(activity.type) ?? fromFile?.sport ?? 'other';
  const warnings: string[] = [];
  let base = fromFile;
  if (!base) {
    if (!activity.date) return rejected(ref, `cannot read the date "${activity.dateText}"`);
    if (activity.distanceProblem) return rejected(ref, `no distance: ${activity.distanceProblem}`);
    if (activity.distanceM === undefined && isRunningSport(sport)) return rejected(ref, 'the row has no distance');
    base = csvOnlyRun(activity, sport);
  }
  const run: MappedRun = {
    ...base,
    source: 'import',
    externalId: activity.activityId,
    sport,
    sourceSport: activity.type || base.sourceSport,
    name: activity.name ?? base.name,
    description: activity.description ?? base.description,
    gearRef: activity.gear ?? base.gearRef,
    perceivedExertion: activity.perceivedExertion,
  };
  if (!run.distanceM && activity.distanceM) run.distanceM = activity.distanceM;
  if (activity.distanceNote && run.distanceM === activity.distanceM) warnings.push(activity.distanceNote);
  return checkedEntry(ref, compact(run), warnings);
}

/**
 * mapExportActivity for callers that want the run or an error: the run without its warnings,
 * or a TrackFormatError with the rejection's reason.
 */
export function overlayExportActivity(activity: ExportActivity, fromFile: MappedRun | undefined): MappedRun {
  const entry = mapExportActivity(activity, fromFile);
  if (entry.status === 'rejected') throw new TrackFormatError(`${entry.ref}: ${entry.reason}`);
  return entry.run;
}

/** The CSV row alone, its day reckoned in UTC (Strava's "Activity Date" is UTC; the local offset is unknown). */
function csvOnlyRun(activity: ExportActivity, sport: MappedRun['sport']): MappedRun {
  return {
    source: 'import',
    externalId: activity.activityId,
    sport,
    startUtc: activity.date!,
    utcOffsetS: 0,
    distanceM: activity.distanceM ?? 0,
    elapsedS: activity.elapsedS,
    movingS: activity.movingS ?? activity.elapsedS,
    elevationGainM: activity.elevationGainM,
    elevationLossM: activity.elevationLossM,
    avgHr: activity.avgHr,
    avgCadenceSpm: activity.avgCadence && countsCadencePerLeg(sport) ? activity.avgCadence * 2 : undefined,
    flags: ['utc_offset_unknown', activity.filename ? 'summary_only' : 'no_activity_file'],
  };
}
