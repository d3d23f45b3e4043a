import { SaxesParser, SaxesTagPlain } from 'saxes';
import { isRunningSport, MappedRun, METRES_PER_MILE, Sport } from '@deload/domain';
import { climbing } from '@deload/fit';
import { hour24 } from './local-time';
import { compact, ParsedEntry, ParsedExport, rejected } from './parsed-entry';
import { checkedEntry } from './sanitise';
import { foldWords, sportFromWords } from './sport-words';
import { TrackFormatError } from './track-format-error';

/**
 * Apple Health's export (Health app → profile → Export All Health Data): `export.zip` holding
 * `apple_health_export/export.xml` (every sample the phone has: often 1–4 GB, mostly <Record>s)
 * and `apple_health_export/workout-routes/route_<date>.gpx` (one GPS track per outdoor workout).
 */
export interface AppleHealthLayout {
  exportXml: string;
  routes: string[];
}

const EXPORT_XML = /(^|\/)export\.xml$/i;
const ROUTE = /(^|\/)workout-routes\/[^/]+\.gpx$/i;

/** The entries that make an archive an Apple Health export; undefined without an export.xml. */
export function appleHealthLayout(entries: string[]): AppleHealthLayout | undefined {
  const candidates = entries.filter((name) => EXPORT_XML.test(name));
  const exportXml = candidates.find((name) => /apple_health_export\//i.test(name)) ?? candidates[0];
  return exportXml ? { exportXml, routes: entries.filter((name) => ROUTE.test(name)) } : undefined;
}

/** The archive entry a workout's `<FileReference path="/workout-routes/route_….gpx"/>` points at. */
export function routeEntryFor(path: string, layout: AppleHealthLayout): string | undefined {
  const file = path.replace(/^.*workout-routes\//i, '').toLowerCase();
  return layout.routes.find((name) => name.toLowerCase().endsWith(`workout-routes/${file}`));
}

/** What a workout has that a run does not store, for the importer. */
export interface AppleWorkoutExtras {
  externalId: string;
  /** The route GPX the workout names (`/workout-routes/route_….gpx`), for elevation. */
  routePath?: string;
  /** Energy burned, kilocalories (the run model has no column for it yet). */
  energyKcal?: number;
}

export interface AppleHealthResult extends ParsedExport {
  extras: AppleWorkoutExtras[];
  bytesRead: number;
}

export interface AppleHealthOptions {
  /** Called now and then with the bytes read so far (progress bars). */
  onProgress?: (bytesRead: number) => void;
  /** The most text the parser may hold between two elements; beyond it the file is refused. */
  maxElementBytes?: number;
  fileName?: string;
}

/** A bigger element than this (a name, an attribute, a comment, the DOCTYPE) is not Apple's doing. */
export const DEFAULT_MAX_ELEMENT_BYTES = 16 * 1024 * 1024;

// ---- values ------------------------------------------------------------------------------------

const APPLE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})\s*(AM|PM)?\s*([+-])(\d{2}):?(\d{2})$/i;

/** "2024-05-04 08:00:00 +0200" (or "2021-12-24 8:02:43 PM -0500") as an instant and its offset. */
export function parseAppleDate(text: string | undefined): { date: Date; offsetS: number } | undefined {
  const match = APPLE_DATE.exec((text ?? '').trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, meridiem, sign, offsetHours, offsetMinutes] = match;
  const hours = hour24(Number(hour), meridiem);
  const offsetS = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  const local = Date.UTC(Number(year), Number(month) - 1, Number(day), hours, Number(minute), Number(second));
  const date = new Date(local - offsetS * 1000);
  return Number.isNaN(date.getTime()) ? undefined : { date, offsetS };
}

const TO_METRES: Record<string, number> = { m: 1, km: 1000, mi: METRES_PER_MILE, yd: 0.9144, ft: 0.3048, cm: 0.01 };
const TO_SECONDS: Record<string, number> = { s: 1, sec: 1, min: 60, hr: 3600, h: 3600 };
const TO_KCAL: Record<string, number> = { kcal: 1, Cal: 1, cal: 0.001, kJ: 1 / 4.184, J: 1 / 4184 };

function scaled(value: string | undefined, unit: string | undefined, table: Record<string, number>): number | undefined {
  const number = value === undefined ? NaN : Number(value);
  const factor = table[unit ?? ''];
  return Number.isFinite(number) && factor !== undefined ? number * factor : undefined;
}

/** "4500 cm" (a metadata value with its unit) in metres. */
function quantity(text: string | undefined): number | undefined {
  const match = /^\s*([-\d.]+)\s*([a-zA-Z]+)\s*$/.exec(text ?? '');
  return match ? scaled(match[1], match[2], TO_METRES) : undefined;
}

/** "<<HKDevice: 0x…>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1>" → "Apple Watch (Watch6,1)". */
function deviceName(device: string | undefined, sourceName: string | undefined): string | undefined {
  const name = /name:([^,>]+)/.exec(device ?? '')?.[1]?.trim();
  const hardware = /hardware:([^,>]+(?:,\d+)?)/.exec(device ?? '')?.[1]?.trim();
  if (name) return hardware ? `${name} (${hardware})` : name;
  return sourceName?.trim() || undefined;
}

// ---- workouts ----------------------------------------------------------------------------------

interface Statistic {
  sum?: string;
  average?: string;
  unit?: string;
}

interface WorkoutDraft {
  attributes: Record<string, string>;
  metadata: Record<string, string>;
  statistics: Record<string, Statistic>;
  routePath?: string;
}

const DISTANCE_STATISTICS = [
  'HKQuantityTypeIdentifierDistanceWalkingRunning',
  'HKQuantityTypeIdentifierDistanceCycling',
  'HKQuantityTypeIdentifierDistanceSwimming',
  'HKQuantityTypeIdentifierDistanceWheelchair',
];

function distanceOf(draft: WorkoutDraft): number | undefined {
  const { totalDistance, totalDistanceUnit } = draft.attributes;
  const fromAttribute = scaled(totalDistance, totalDistanceUnit, TO_METRES);
  if (fromAttribute !== undefined) return fromAttribute;
  for (const type of DISTANCE_STATISTICS) {
    const statistic = draft.statistics[type];
    const metres = scaled(statistic?.sum, statistic?.unit, TO_METRES);
    if (metres !== undefined) return metres;
  }
  return undefined;
}

function energyOf(draft: WorkoutDraft): number | undefined {
  const fromAttribute = scaled(draft.attributes.totalEnergyBurned, draft.attributes.totalEnergyBurnedUnit, TO_KCAL);
  const statistic = draft.statistics.HKQuantityTypeIdentifierActiveEnergyBurned;
  return fromAttribute ?? scaled(statistic?.sum, statistic?.unit, TO_KCAL);
}

function sportOf(draft: WorkoutDraft): Sport {
  const sport = sportFromWords(draft.attributes.workoutActivityType.replace(/^HKWorkoutActivityType/, '')) ?? 'other';
  return sport === 'run' && draft.metadata.HKIndoorWorkout === '1' ? 'treadmill_run' : sport;
}

function toEntry(draft: WorkoutDraft, index: number): { entry: ParsedEntry; extras?: AppleWorkoutExtras } {
  const { attributes } = draft;
  const type = attributes.workoutActivityType.replace(/^HKWorkoutActivityType/, '');
  const start = parseAppleDate(attributes.startDate);
  const ref = `export.xml workout ${index} (${[type, attributes.startDate].filter(Boolean).join(', ')})`;
  if (!start) return { entry: rejected(ref, `cannot read the start "${attributes.startDate ?? ''}"`) };
  const sport = sportOf(draft);
  const distance = distanceOf(draft);
  if (distance === undefined && isRunningSport(sport)) return { entry: rejected(ref, 'the workout has no distance') };
  const end = parseAppleDate(attributes.endDate);
  const heartRate = Number(draft.statistics.HKQuantityTypeIdentifierHeartRate?.average);
  const source = foldWords(attributes.sourceName ?? '').slice(0, 24) || 'health';
  const externalId = `apple-${source}-${Math.round(start.date.getTime() / 1000)}`;
  const run = compact({
    source: 'import',
    externalId,
    sport,
    sourceSport: type,
    startUtc: start.date,
    utcOffsetS: start.offsetS,
    distanceM: distance ?? 0,
    movingS: scaled(attributes.duration, attributes.durationUnit ?? 'min', TO_SECONDS),
    elapsedS: end ? (end.date.getTime() - start.date.getTime()) / 1000 : undefined,
    elevationGainM: quantity(draft.metadata.HKElevationAscended),
    avgHr: Number.isFinite(heartRate) ? Math.round(heartRate) : undefined,
    device: deviceName(attributes.device, attributes.sourceName),
    flags: ['summary_only'],
  } satisfies MappedRun);
  return {
    entry: checkedEntry(ref, run),
    extras: compact({ externalId, routePath: draft.routePath, energyKcal: energyOf(draft) }),
  };
}

// ---- streaming ---------------------------------------------------------------------------------

/**
 * A workout's attributes, copied out of the parser's text: the values the parser hands over are
 * slices of the (megabyte-long) chunk being read, and keeping one would keep the whole chunk
 * alive — a few hundred workouts would then hold hundreds of MB.
 */
function keptAttributes(tag: SaxesTagPlain): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(tag.attributes as Record<string, string>))
    kept[name] = Buffer.from(value, 'utf8').toString('utf8');
  return kept;
}

function describeXmlError(error: Error, name: string, bytesRead: number): TrackFormatError {
  const where = `after ${(bytesRead / 1024 / 1024).toFixed(1)} MB`;
  if (/undefined entity/.test(error.message)) {
    return new TrackFormatError(
      `${name} uses an entity declared in its DOCTYPE (${where}); we do not expand those: the file is not Apple's`,
    );
  }
  return new TrackFormatError(`${name} is not well-formed XML ${where} (${error.message})`);
}

/**
 * Reads an Apple Health export.xml as it streams in — never the whole file in memory: a SAX
 * parser (saxes) keeps only the workout being read. Takes every <Workout> (every sport, the sport
 * says which count as running) with its distance, duration, energy, average heart rate, elevation
 * gain and source device, and the route file it names. The DOCTYPE Apple writes is skipped, not
 * interpreted: no entity is expanded, no external file fetched; more than `maxElementBytes` of
 * text between two elements refuses the file. A file that stops before </HealthData> (a download
 * cut short) is refused as `truncated` — entries are only returned for a complete file.
 */
export async function readAppleHealthExport(
  chunks: AsyncIterable<Uint8Array | string>,
  options: AppleHealthOptions = {},
): Promise<AppleHealthResult> {
  const name = options.fileName ?? 'export.xml';
  const maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
  const parser = new SaxesParser({ xmlns: false });
  const decoder = new TextDecoder('utf-8');
  const entries: ParsedEntry[] = [];
  const extras: AppleWorkoutExtras[] = [];
  let bytesRead = 0;
  let sinceLastElement = 0;
  let depth = 0;
  let workoutDepth = -1;
  let draft: WorkoutDraft | undefined;
  let rootSeen = false;

  parser.on('opentag', (tag) => {
    sinceLastElement = 0;
    depth += 1;
    if (!rootSeen) {
      rootSeen = true;
      if (tag.name !== 'HealthData')
        throw new TrackFormatError(`${name} is not an Apple Health export (its root element is <${tag.name}>)`, 'unsupported');
    }
    if (tag.name === 'Workout' && !draft) {
      draft = { attributes: keptAttributes(tag as SaxesTagPlain), metadata: {}, statistics: {} };
      workoutDepth = depth;
      return;
    }
    if (!draft) return;
    const attributes = keptAttributes(tag as SaxesTagPlain);
    if (tag.name === 'MetadataEntry' && depth === workoutDepth + 1) draft.metadata[attributes.key] = attributes.value;
    else if (tag.name === 'WorkoutStatistics' && depth === workoutDepth + 1) draft.statistics[attributes.type] = attributes;
    else if (tag.name === 'FileReference' && attributes.path && /workout-routes/i.test(attributes.path))
      draft.routePath ??= attributes.path;
  });
  parser.on('closetag', (tag) => {
    sinceLastElement = 0;
    if (draft && tag.name === 'Workout' && depth === workoutDepth) {
      const { entry, extras: extra } = toEntry(draft, entries.length + 1);
      entries.push(entry);
      if (extra) extras.push(extra);
      draft = undefined;
    }
    depth -= 1;
  });

  let lastProgress = 0;
  try {
    for await (const chunk of chunks) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      sinceLastElement += text.length;
      parser.write(text);
      if (sinceLastElement > maxElementBytes) {
        throw new TrackFormatError(
          `${name} has more than ${Math.round(maxElementBytes / 1024 / 1024)} MB of text in one place (after ${(bytesRead / 1024 / 1024).toFixed(1)} MB): it is damaged or not Apple's`,
          'too_large',
        );
      }
      if (options.onProgress && bytesRead - lastProgress >= 8 * 1024 * 1024) {
        lastProgress = bytesRead;
        options.onProgress(bytesRead);
      }
    }
    const rest = decoder.decode();
    if (rest) parser.write(rest);
  } catch (error) {
    if (error instanceof TrackFormatError) throw error;
    throw describeXmlError(error as Error, name, bytesRead);
  }
  if (!rootSeen) throw new TrackFormatError(`${name} is empty or holds no XML element`, 'truncated');
  if (depth > 0) {
    throw new TrackFormatError(
      `${name} stops after ${(bytesRead / 1024 / 1024).toFixed(1)} MB, before its end (</HealthData>): the export was cut short — export it again from the Health app`,
      'truncated',
    );
  }
  try {
    parser.close();
  } catch (error) {
    throw describeXmlError(error as Error, name, bytesRead);
  }
  options.onProgress?.(bytesRead);
  return { entries, extras, warnings: [], bytesRead };
}

// ---- routes ------------------------------------------------------------------------------------

/**
 * Total ascent and descent of a workout route GPX, streamed (a route is a few MB at most, but
 * it comes out of the same zip): the <ele> of each track point, with the same noise dead band as
 * FIT tracks. Undefined when the route has fewer than two elevations.
 */
export async function readRouteClimb(
  chunks: AsyncIterable<Uint8Array | string>,
  fileName = 'route.gpx',
): Promise<{ gainM: number; lossM: number } | undefined> {
  const parser = new SaxesParser({ xmlns: false });
  const decoder = new TextDecoder('utf-8');
  const altitudes: { timeMs: number; altitudeM: number }[] = [];
  let inElevation = false;
  let text = '';
  parser.on('opentag', (tag) => {
    inElevation = tag.name === 'ele' || tag.name.endsWith(':ele');
    text = '';
  });
  parser.on('text', (value) => {
    if (inElevation && text.length < 64) text += value;
  });
  parser.on('closetag', () => {
    if (inElevation) {
      const altitude = Number(text.trim());
      if (text.trim() && Number.isFinite(altitude)) altitudes.push({ timeMs: altitudes.length, altitudeM: altitude });
    }
    inElevation = false;
  });
  try {
    for await (const chunk of chunks) parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    throw describeXmlError(error as Error, fileName, 0);
  }
  return climbing(altitudes);
}

/** A workout's run with its route's climb: the route's descent, and its ascent when Apple gave none. */
export function withRouteClimb(run: MappedRun, climb: { gainM: number; lossM: number } | undefined): MappedRun {
  if (!climb) return run;
  return {
    ...run,
    elevationGainM: run.elevationGainM ?? Math.round(climb.gainM * 10) / 10,
    elevationLossM: Math.round(climb.lossM * 10) / 10,
  };
}
