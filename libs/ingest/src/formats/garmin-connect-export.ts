import { countsCadencePerLeg, MappedRun } from '@deload/domain';
import { finiteNumber } from './localised';
import { compact, ParsedEntry, ParsedExport, rejected } from './parsed-entry';
import { checkedEntry } from './sanitise';
import { sportFromWords } from './sport-words';
import { readJson } from './text';
import { TrackFormatError } from './track-format-error';

/**
 * Garmin Connect's full account export (Account → Data Management → Export your data): a zip
 * with `DI_CONNECT/DI-Connect-Fitness/<email>_<n>_summarizedActivities.json` (every activity's
 * summary) and `DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_<n>_Part<m>.zip` (the files
 * the watch uploaded, mostly FIT, named by upload — not activity — id).
 */
export interface GarminExportLayout {
  summaryFiles: string[];
  uploadArchives: string[];
}

const SUMMARY_FILE = /(^|\/)DI-Connect-Fitness\/[^/]*summarizedActivities[^/]*\.json$/i;
const UPLOAD_ARCHIVE = /(^|\/)UploadedFiles_[^/]*\.zip$/i;

/** The entries of an archive that make it a Garmin Connect export; undefined when it has no activity summaries. */
export function garminExportLayout(entries: string[]): GarminExportLayout | undefined {
  const summaryFiles = entries.filter((name) => SUMMARY_FILE.test(name));
  if (summaryFiles.length === 0) return undefined;
  return { summaryFiles, uploadArchives: entries.filter((name) => UPLOAD_ARCHIVE.test(name)) };
}

/** One activity summary, in Garmin's units: ms since the epoch, centimetres, milliseconds. */
interface GarminSummary {
  activityId?: number | string;
  name?: string;
  activityType?: string | { typeKey?: string };
  sportType?: string;
  beginTimestamp?: number;
  startTimeGmt?: number;
  startTimeLocal?: number;
  duration?: number;
  movingDuration?: number;
  elapsedDuration?: number;
  distance?: number;
  elevationGain?: number;
  elevationLoss?: number;
  avgHr?: number;
  avgRunCadence?: number;
  avgDoubleCadence?: number;
  manualActivity?: boolean;
}

const fromCm = (value: unknown) => (finiteNumber(value) === undefined ? undefined : (value as number) / 100);
const fromMs = (value: unknown) => (finiteNumber(value) === undefined ? undefined : (value as number) / 1000);

function typeKey(summary: GarminSummary): string | undefined {
  const type = summary.activityType;
  return (typeof type === 'string' ? type : type?.typeKey) ?? summary.sportType;
}

/** The export wraps its list as `[{ "summarizedActivitiesExport": [...] }]`; older ones are the bare list. */
function summariesOf(document: unknown): GarminSummary[] | undefined {
  const wrapped = (value: unknown) => (value as { summarizedActivitiesExport?: unknown })?.summarizedActivitiesExport;
  if (Array.isArray(document)) {
    const lists = document.map(wrapped).filter(Array.isArray) as GarminSummary[][];
    if (lists.length) return lists.flat();
    if (document.every((item) => item && typeof item === 'object' && 'activityId' in item)) return document as GarminSummary[];
  }
  const list = wrapped(document);
  return Array.isArray(list) ? (list as GarminSummary[]) : undefined;
}

function describe(summary: GarminSummary, start: Date | undefined): string {
  const what = [typeKey(summary), summary.name, start?.toISOString().slice(0, 16).replace('T', ' ')].filter(Boolean).join(', ');
  return `Garmin activity ${summary.activityId ?? '(no id)'}${what ? ` (${what})` : ''}`;
}

/** Steps per minute: `avgDoubleCadence` is already both feet; `avgRunCadence` counts one. */
function stepsPerMinute(summary: GarminSummary, perLeg: boolean): number | undefined {
  const double = finiteNumber(summary.avgDoubleCadence);
  if (double) return double;
  const single = finiteNumber(summary.avgRunCadence);
  return single && perLeg ? single * 2 : undefined;
}

function toEntry(summary: GarminSummary): ParsedEntry {
  const startMs = finiteNumber(summary.beginTimestamp) ?? finiteNumber(summary.startTimeGmt);
  const start = startMs === undefined ? undefined : new Date(startMs);
  const ref = describe(summary, start);
  if (summary.activityId === undefined || summary.activityId === null) return rejected(ref, 'the summary has no activityId');
  if (!start) return rejected(ref, 'the summary has no start time');
  const words = typeKey(summary);
  const sport = sportFromWords(words) ?? 'other';
  const localMs = finiteNumber(summary.startTimeLocal);
  const gmtMs = finiteNumber(summary.startTimeGmt) ?? start.getTime();
  const offsetS = localMs === undefined ? undefined : Math.round((localMs - gmtMs) / 1000);
  const validOffset = offsetS !== undefined && Math.abs(offsetS) <= 14 * 3600 && offsetS % 60 === 0;
  const duration = fromMs(summary.duration);
  const run = compact({
    source: 'import',
    externalId: `garmin-${summary.activityId}`,
    sport,
    sourceSport: words,
    name: summary.name?.trim() || undefined,
    startUtc: start,
    utcOffsetS: validOffset ? offsetS : 0,
    distanceM: fromCm(summary.distance) ?? 0,
    movingS: fromMs(summary.movingDuration) ?? duration,
    elapsedS: fromMs(summary.elapsedDuration) ?? duration,
    elevationGainM: fromCm(summary.elevationGain),
    elevationLossM: fromCm(summary.elevationLoss),
    avgHr: finiteNumber(summary.avgHr),
    avgCadenceSpm: stepsPerMinute(summary, countsCadencePerLeg(sport)),
    flags: ['summary_only', ...(validOffset ? [] : ['utc_offset_unknown']), ...(summary.manualActivity ? ['no_activity_file'] : [])],
  } satisfies MappedRun);
  return checkedEntry(ref, run);
}

/**
 * One `*summarizedActivities*.json` of the export: an entry per activity (every sport, the sport
 * says which count as running), each a summary-only run (`garmin-<activityId>`). Distances and
 * climbs are in centimetres and times in milliseconds there; the start's offset comes from its
 * local and GMT times.
 */
export function parseGarminSummaries(input: Uint8Array | string, fileName = 'summarizedActivities.json'): ParsedExport {
  const summaries = summariesOf(readJson(input, fileName));
  if (!summaries)
    throw new TrackFormatError(`${fileName} is not a Garmin activity summary file (no "summarizedActivitiesExport" list)`, 'unsupported');
  return {
    entries: summaries.map((summary) =>
      summary && typeof summary === 'object' ? toEntry(summary) : rejected(`${fileName}`, 'an entry is not an object'),
    ),
    warnings: [],
  };
}

/** How far an uploaded file's start may be from its summary's to be the same activity. */
const SAME_START_MS = 60_000;

/**
 * Pairs the export's activity files with its summaries, so each activity is stored once: from
 * its file when the export has one (FIT measures more), from the summary otherwise. Files are
 * named by upload id, not activity id, so a file's run is matched by start time (within a minute)
 * to the nearest summary not yet claimed. Built from the summaries' entries; feed it each file's
 * runs as they are decoded, then store `unclaimed()` — the activities that had no file.
 */
export class GarminExportMatcher {
  private readonly byStart: { startMs: number; entry: Extract<ParsedEntry, { status: 'parsed' }>; claimed: boolean }[];

  constructor(readonly summaries: ParsedEntry[]) {
    this.byStart = summaries
      .filter((entry): entry is Extract<ParsedEntry, { status: 'parsed' }> => entry.status === 'parsed')
      .map((entry) => ({ startMs: entry.run.startUtc.getTime(), entry, claimed: false }))
      .sort((a, b) => a.startMs - b.startMs);
  }

  /**
   * The file's run with the summary's words laid over it (title, Garmin's sport name), keeping
   * the file's measurements and its own identity (source `fit`, so a later upload of the same FIT
   * file is a duplicate). Undefined when no unclaimed summary starts within a minute: the file is
   * then an activity of its own (or not an activity at all: a course, a workout).
   */
  claim(fileRun: MappedRun): { run: MappedRun; summaryRef: string } | undefined {
    const start = fileRun.startUtc.getTime();
    const candidates = this.byStart.filter((item) => !item.claimed && Math.abs(item.startMs - start) <= SAME_START_MS);
    const nearest = candidates.sort((a, b) => Math.abs(a.startMs - start) - Math.abs(b.startMs - start))[0];
    if (!nearest) return undefined;
    nearest.claimed = true;
    const summary = nearest.entry.run;
    return {
      summaryRef: nearest.entry.ref,
      run: compact({ ...fileRun, name: fileRun.name ?? summary.name, sourceSport: fileRun.sourceSport ?? summary.sourceSport }),
    };
  }

  /** The summaries no file claimed (and the rejected ones), to store from the summary alone. */
  unclaimed(): ParsedEntry[] {
    const claimed = new Set(this.byStart.filter((item) => item.claimed).map((item) => item.entry));
    return this.summaries.filter((entry) => entry.status === 'rejected' || !claimed.has(entry));
  }
}
