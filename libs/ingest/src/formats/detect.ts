import { constants, gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describeContent } from '@deload/fit';
import { appleHealthLayout } from './apple-health';
import { garminExportLayout } from './garmin-connect-export';
import { GARMIN_LANGUAGE_NAMES, GarminLanguage, garminCsvLanguage, looksLikeGarminActivityRow } from './garmin-csv-headers';
import { polarSessionFiles } from './polar-flow';
import { decodeHead } from './text';

/** What a file is, judged by its content. */
export type FormatKind =
  | 'fit'
  | 'gpx'
  | 'tcx'
  | 'strava-export-csv'
  | 'garmin-connect-csv'
  | 'garmin-connect-summaries'
  | 'apple-health-xml'
  | 'polar-flow-session'
  | 'strava-export'
  | 'garmin-connect-export'
  | 'apple-health-export'
  | 'polar-flow-export'
  | 'activity-files'
  | 'zip'
  | 'unsupported';

export interface Detection {
  kind: FormatKind;
  /** Whether we read it (a 'zip' without its entry list is not decided yet). */
  supported: boolean;
  /** Inside a gzip stream (".fit.gz", ".tcx.gz"). */
  gzipped?: boolean;
  /** For a Garmin Connect CSV, the language of its headers. */
  language?: GarminLanguage;
  /** What it is, for messages: "a Garmin Connect activities CSV (German)". */
  description: string;
  /** For what we do not read: what it looks like and what we do read. */
  message?: string;
}

/** How many leading bytes detection wants: enough for Apple's DOCTYPE and a CSV's first rows. */
export const DETECTION_BYTES = 64 * 1024;

export const WE_READ =
  'FIT, GPX and TCX files (gzipped or not), zips of them, Garmin Connect activities CSVs and full account exports, ' +
  'Strava bulk exports, Apple Health exports and Polar Flow account exports';

const supported = (kind: FormatKind, description: string, extra: Partial<Detection> = {}): Detection => ({
  kind,
  supported: true,
  description,
  ...extra,
});

const unsupported = (looksLike: string, advice?: string): Detection => ({
  kind: 'unsupported',
  supported: false,
  description: looksLike,
  message: `this looks like ${looksLike}${advice ? `; ${advice}` : ''}; we read ${WE_READ}`,
});

const ACTIVITY_FILE = /\.(fit|gpx|tcx)(\.gz)?$/i;
const STRAVA_CSV = /(^|\/)activities\.csv$/i;
const NESTED_ZIP = /\.zip$/i;

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

function isFit(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && String.fromCharCode(...bytes.subarray(8, 12)) === '.FIT';
}

/** The start of a gzip stream, unpacked as far as the given bytes go. */
function gunzipHead(bytes: Uint8Array): Uint8Array | undefined {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: DETECTION_BYTES * 4 }).subarray(0, DETECTION_BYTES);
  } catch {
    return undefined;
  }
}

/** The head as text (a multi-byte character cut at the end is no matter here), or undefined for binary. */
function headText(bytes: Uint8Array): string | undefined {
  const text = decodeHead(bytes).text.replace(/^\ufeff/, '');
  const sample = text.slice(0, 4096);
  // eslint-disable-next-line no-control-regex
  const control = (sample.match(/[\u0000-\u0008\u000e-\u001f]/g) ?? []).length;
  if (control > sample.length * 0.01 && control > 2) return undefined;
  return text;
}

function rootElement(text: string): string | undefined {
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '');
  const doctype = /<!DOCTYPE\s+([A-Za-z_][\w:.-]*)/.exec(withoutComments)?.[1];
  const root = /<([A-Za-z_][\w:.-]*)[\s>/]/.exec(withoutComments)?.[1];
  return root ?? doctype;
}

function detectXml(text: string): Detection {
  const root = rootElement(text);
  const local = root?.replace(/^.*:/, '');
  switch (local) {
    case 'gpx':
      return supported('gpx', 'a GPX track');
    case 'TrainingCenterDatabase':
      return supported('tcx', 'a TCX activity');
    case 'HealthData':
      return supported('apple-health-xml', "Apple Health's export.xml");
    case 'ClinicalDocument':
      return unsupported("Apple Health's clinical records (export_cda.xml)", 'send export.xml or the whole export.zip instead');
    case 'kml':
      return unsupported('a KML map track (it has no times)', 'export the activity as GPX or FIT instead');
    case 'pwx':
      return unsupported('a TrainingPeaks PWX file', 'export the activity as FIT, GPX or TCX instead');
    case 'sml':
      return unsupported('a Suunto SML file', 'export the activity as FIT instead');
    case 'html':
      return unsupported('a web page (HTML), perhaps a login page saved instead of the export');
    default:
      return unsupported(root ? `an XML document whose root is <${root}>` : 'an XML document');
  }
}

function detectJson(text: string): Detection {
  const head = text.slice(0, 16 * 1024);
  if (/"summarizedActivitiesExport"\s*:/.test(head))
    return supported('garmin-connect-summaries', "Garmin Connect's activity summaries (summarizedActivities.json)");
  if (/"exercises"\s*:/.test(head) && /"(startTime|exportVersion|kiloCalories)"\s*:/.test(head)) {
    return supported('polar-flow-session', 'a Polar Flow training session');
  }
  if (/^\s*\{\s*"data"\s*:\s*\{\s*"(workouts|metrics)"/.test(head)) {
    return unsupported('a Health Auto Export JSON file', 'export from the Health app itself (profile → Export All Health Data) instead');
  }
  if (/"logId"\s*:/.test(head) && /"activityName"\s*:/.test(head))
    return unsupported('a Fitbit exercise export', 'export your runs from Fitbit as TCX instead');
  if (/"resource_state"\s*:/.test(head)) return unsupported("Strava's API JSON", 'connect Strava instead, or send its bulk export');
  if (/"activityId"\s*:/.test(head) && /"(activityName|activityType)"\s*:/.test(head)) {
    return unsupported('a Garmin Connect activity list from its API', "send Garmin's full account export or the Activities CSV instead");
  }
  return unsupported('a JSON file we do not know');
}

/** The first complete lines of a CSV head (the last may be cut), parsed; undefined when it is not CSV. */
function csvRows(text: string): string[][] | undefined {
  const lines = text.split(/\r?\n/).slice(0, 8);
  if (lines.length > 1) lines.pop();
  const delimiter = [',', ';', '\t'].sort((a, b) => lines[0].split(b).length - lines[0].split(a).length)[0];
  if (lines[0].split(delimiter).length < 3) return undefined;
  try {
    return parse(lines.join('\n'), {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch {
    return undefined;
  }
}

function detectCsv(text: string): Detection | undefined {
  const rows = csvRows(text);
  if (!rows?.length) return undefined;
  const [header, ...data] = rows;
  const shown = header.slice(0, 4).join(', ');
  if (['Activity ID', 'Activity Date', 'Filename'].every((column) => header.includes(column))) {
    return supported('strava-export-csv', "a Strava export's activities.csv");
  }
  const language = garminCsvLanguage(header);
  if (language)
    return supported('garmin-connect-csv', `a Garmin Connect activities CSV (${GARMIN_LANGUAGE_NAMES[language]})`, { language });
  if (data.some(looksLikeGarminActivityRow)) {
    return unsupported(
      `a Garmin Connect activities CSV in a language we do not read (its columns start "${shown}")`,
      `switch Garmin Connect to ${Object.values(GARMIN_LANGUAGE_NAMES).join(', ')} and export again, or send Garmin's full account export`,
    );
  }
  if (data.some((row) => row.some((cell) => /^activities\/\d+\.(fit|gpx|tcx)(\.gz)?$/i.test(cell)))) {
    return unsupported(`a Strava activities.csv with headers we do not know (its columns start "${shown}")`);
  }
  if (header[0] === 'Name' && header.includes('Sport') && header.some((column) => /^Total distance/.test(column))) {
    return unsupported(
      'a Polar Flow CSV of one session',
      "send Polar's account export (training-session JSON files) or the session as TCX or FIT instead",
    );
  }
  return unsupported(`a CSV file we do not know (its columns start "${shown}")`);
}

function detectText(text: string): Detection {
  const start = text.trimStart();
  if (start.startsWith('<')) return detectXml(start);
  if (start.startsWith('{') || start.startsWith('[')) return detectJson(start);
  return detectCsv(start) ?? unsupported('a text file that is neither CSV, JSON nor XML');
}

function detectArchive(entries: string[]): Detection {
  if (garminExportLayout(entries)) return supported('garmin-connect-export', "Garmin Connect's full account export");
  if (appleHealthLayout(entries)) return supported('apple-health-export', 'an Apple Health export');
  if (polarSessionFiles(entries)) return supported('polar-flow-export', 'a Polar Flow account export');
  if (entries.some((name) => STRAVA_CSV.test(name))) return supported('strava-export', 'a Strava bulk export');
  if (entries.some((name) => ACTIVITY_FILE.test(name) || NESTED_ZIP.test(name)))
    return supported('activity-files', 'a zip of activity files');
  if (entries.some((name) => /export_cda\.xml$/i.test(name))) {
    return unsupported('an Apple Health export without its export.xml', 'export again from the Health app');
  }
  const sample = entries.slice(0, 3).join(', ');
  return unsupported(
    `a zip with ${entries.length} file${entries.length === 1 ? '' : 's'} we do not read${sample ? ` (${sample}${entries.length > 3 ? ', …' : ''})` : ''}`,
  );
}

/**
 * What a file is, from its first bytes (DETECTION_BYTES of them; names lie: a PNG renamed .fit
 * is still a PNG) and, for a zip, its entry names. A zip without `entries` comes back as kind
 * 'zip' (supported: undecided) for the caller to list and ask again. Everything we do not read
 * comes back 'unsupported' with a `message` saying what it looks like and what we read.
 */
export function detectFormat(head: Uint8Array, entries?: string[]): Detection {
  if (head.length === 0) return unsupported('an empty file');
  if (isFit(head)) return supported('fit', 'a FIT activity file');
  if (isZip(head)) return entries ? detectArchive(entries) : { kind: 'zip', supported: true, description: 'a zip archive' };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const inner = gunzipHead(head);
    if (!inner?.length) return unsupported('a damaged gzip file');
    const detection = detectFormat(inner);
    if (['fit', 'gpx', 'tcx'].includes(detection.kind))
      return { ...detection, gzipped: true, description: `${detection.description} (gzipped)` };
    return detection.kind === 'unsupported'
      ? { ...detection, gzipped: true }
      : unsupported(`${detection.description}, gzipped`, 'unpack it and send the file inside');
  }
  const binary = describeContent(head);
  if (binary && binary !== 'an XML document') return unsupported(binary);
  const text = headText(head);
  if (text === undefined) return unsupported('a binary file of a kind we do not know');
  return detectText(text);
}
