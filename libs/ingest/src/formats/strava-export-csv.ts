import { parse } from 'csv-parse/sync';
import { countsCadencePerLeg, MappedRun } from '@deload/domain';
import { parseExportDate, parseLocalisedNumber } from './localised';
import { TrackFormatError } from './track-format-error';
import { sportFromWords } from './track';

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

function distanceM(row: Row): number | undefined {
  // The later "Distance" is in metres; when it is alone it is the older export's kilometres.
  if (repeated(row, 'Distance')) return parseLocalisedNumber(cell(row, 'Distance', 'last'));
  const km = parseLocalisedNumber(cell(row, 'Distance'));
  return km === undefined ? undefined : km * 1000;
}

function toActivity(row: Row, line: number): ExportActivity {
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
    distanceM: distanceM(row),
    elapsedS: parseLocalisedNumber(cell(row, 'Elapsed Time', 'last')),
    movingS: parseLocalisedNumber(cell(row, 'Moving Time', 'last')),
    elevationGainM: parseLocalisedNumber(cell(row, 'Elevation Gain', 'last')),
    elevationLossM: parseLocalisedNumber(cell(row, 'Elevation Loss', 'last')),
    avgHr: parseLocalisedNumber(cell(row, 'Average Heart Rate', 'last')),
    avgCadence: parseLocalisedNumber(cell(row, 'Average Cadence', 'last')),
    perceivedExertion: parseLocalisedNumber(cell(row, 'Perceived Exertion', 'last')),
  };
}

/** Parses activities.csv; refuses it whole when a column we need is missing. */
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
    throw new TrackFormatError(`activities.csv is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return rows.map((row, index) => toActivity(row, index + 1));
}

/**
 * The export's own words about an activity laid over the run read from its file: the CSV names
 * the sport, title, description, gear and effort; the file has the measurements. The run keeps
 * Strava's activity id so a later Strava sync finds it (source `import`).
 */
export function overlayExportActivity(activity: ExportActivity, fromFile: MappedRun | undefined): MappedRun {
  const sport = sportFromWords(activity.type) ?? fromFile?.sport ?? 'other';
  const base: MappedRun = fromFile ?? csvOnlyRun(activity, sport);
  const run: MappedRun = {
    ...base,
    source: 'import',
    externalId: activity.activityId,
    sport,
    sourceSport: activity.type || base.sourceSport,
    name: activity.name ?? base.name,
    description: activity.description ?? base.description,
    gearRef: activity.gear ?? base.gearRef,
    perceivedExertion: validExertion(activity.perceivedExertion),
  };
  if (!run.distanceM && activity.distanceM) run.distanceM = activity.distanceM;
  return Object.fromEntries(Object.entries(run).filter(([, value]) => value !== undefined)) as MappedRun;
}

function validExertion(value: number | undefined): number | undefined {
  return value !== undefined && value >= 1 && value <= 10 ? Math.round(value) : undefined;
}

/** An activity entered by hand on Strava (no file): what the CSV says, its day reckoned in UTC. */
function csvOnlyRun(activity: ExportActivity, sport: MappedRun['sport']): MappedRun {
  if (!activity.date) {
    throw new TrackFormatError(`activities.csv line ${activity.line}: cannot read the date "${activity.dateText}"`);
  }
  return {
    source: 'import',
    externalId: activity.activityId,
    sport,
    startUtc: activity.date,
    utcOffsetS: 0,
    distanceM: activity.distanceM ?? 0,
    elapsedS: activity.elapsedS,
    movingS: activity.movingS ?? activity.elapsedS,
    elevationGainM: activity.elevationGainM,
    elevationLossM: activity.elevationLossM,
    avgHr: activity.avgHr,
    avgCadenceSpm: activity.avgCadence && countsCadencePerLeg(sport) ? activity.avgCadence * 2 : undefined,
    flags: ['utc_offset_unknown', 'no_activity_file'],
  };
}
