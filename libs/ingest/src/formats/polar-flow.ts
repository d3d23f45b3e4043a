import { countsCadencePerLeg, isRunningSport, MappedRun, Sport } from '@deload/domain';
import { finiteNumber, parseIsoDuration } from './localised';
import { compact, ParsedEntry, ParsedExport, rejected } from './parsed-entry';
import { checkedEntry } from './sanitise';
import { foldWords, sportFromWords } from './sport-words';
import { readJson } from './text';
import { TrackFormatError } from './track-format-error';

/**
 * Polar Flow's account export (account.polar.com → Download your data): a zip of JSON files,
 * one `training-session-<date>-<id>-<uuid>.json` per training session, beside files we do not
 * read (activity days, sleep, profile).
 */
const SESSION_FILE = /(^|\/)training-session-[^/]*\.json$/i;

/** The training-session files of a Polar Flow export; undefined when the archive has none. */
export function polarSessionFiles(entries: string[]): string[] | undefined {
  const sessions = entries.filter((name) => SESSION_FILE.test(name));
  return sessions.length ? sessions : undefined;
}

interface Summary {
  avg?: number;
  max?: number;
}

/** One exercise of a session; the session itself carries the same fields for single-sport sessions. */
interface PolarExercise {
  startTime?: string;
  stopTime?: string;
  timezoneOffset?: number;
  timeZoneOffset?: number;
  duration?: string;
  distance?: number;
  sport?: string | { id?: string; name?: string };
  ascent?: number;
  descent?: number;
  heartRate?: Summary;
  cadence?: Summary;
  averageHeartRate?: number;
}

interface PolarSession extends PolarExercise {
  identifier?: { id?: string } | string;
  id?: string;
  name?: string;
  exercises?: PolarExercise[];
  deviceId?: string;
  product?: { modelName?: string };
}

function sportWords(exercise: PolarExercise, session: PolarSession): string | undefined {
  const sport = exercise.sport ?? session.sport;
  if (typeof sport === 'string') return sport;
  return sport?.name ?? session.name;
}

/** "2021-01-30T13:24:11.000" is the watch's local time; the offset (minutes) makes it an instant. */
function startOf(exercise: PolarExercise, session: PolarSession): { startUtc: Date; utcOffsetS: number; known: boolean } | undefined {
  const text = exercise.startTime ?? session.startTime;
  if (!text) return undefined;
  const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(text);
  const offsetMinutes = finiteNumber(
    exercise.timezoneOffset ?? exercise.timeZoneOffset ?? session.timezoneOffset ?? session.timeZoneOffset,
  );
  const asUtc = Date.parse(zoned ? text : `${text}Z`);
  if (Number.isNaN(asUtc)) return undefined;
  if (zoned) return { startUtc: new Date(asUtc), utcOffsetS: (offsetMinutes ?? 0) * 60, known: offsetMinutes !== undefined };
  if (offsetMinutes === undefined) return { startUtc: new Date(asUtc), utcOffsetS: 0, known: false };
  return { startUtc: new Date(asUtc - offsetMinutes * 60_000), utcOffsetS: offsetMinutes * 60, known: true };
}

/**
 * Polar writes running cadence per leg on some watches and per step on others: an average below
 * 105 is per leg for a run (nobody runs at 100 steps a minute), below 70 for a walk.
 */
function stepsPerMinute(value: number | undefined, sport: Sport): number | undefined {
  if (!value || !countsCadencePerLeg(sport)) return undefined;
  const perLegBelow = isRunningSport(sport) ? 105 : 70;
  return value < perLegBelow ? value * 2 : value;
}

function sessionId(session: PolarSession, fileName: string): string {
  const id = typeof session.identifier === 'string' ? session.identifier : (session.identifier?.id ?? session.id);
  return (
    id ??
    fileName
      .replace(/^.*\//, '')
      .replace(/\.json$/i, '')
      .replace(/^training-session-/i, '')
  );
}

function toEntry(exercise: PolarExercise, index: number, session: PolarSession, fileName: string, count: number): ParsedEntry {
  const words = sportWords(exercise, session);
  const start = startOf(exercise, session);
  const base = fileName.replace(/^.*\//, '');
  const ref = `${base}${count > 1 ? ` exercise ${index + 1}` : ''}${words ? ` (${words})` : ''}`;
  if (!start) return rejected(ref, 'the session has no readable start time');
  const sport = sportFromWords(words) ?? 'other';
  // A single-sport session repeats its exercise's figures at the top; either may be missing.
  const pick = <T>(read: (from: PolarExercise) => T | undefined): T | undefined =>
    read(exercise) ?? (count === 1 ? read(session) : undefined);
  const distance = finiteNumber(pick((from) => from.distance));
  if (distance === undefined && isRunningSport(sport)) return rejected(ref, 'the session has no distance');
  const seconds = parseIsoDuration(pick((from) => from.duration));
  const heartRate = finiteNumber(pick((from) => from.heartRate?.avg ?? from.averageHeartRate));
  const run = compact({
    source: 'import',
    externalId: `polar-${sessionId(session, fileName)}${count > 1 ? `-${index + 1}` : ''}`,
    sport,
    sourceSport: words,
    name: session.name && foldWords(session.name) !== foldWords(words ?? '') ? session.name : undefined,
    startUtc: start.startUtc,
    utcOffsetS: start.utcOffsetS,
    distanceM: distance ?? 0,
    movingS: seconds,
    elapsedS: seconds,
    elevationGainM: finiteNumber(pick((from) => from.ascent)),
    elevationLossM: finiteNumber(pick((from) => from.descent)),
    avgHr: heartRate === undefined ? undefined : Math.round(heartRate),
    avgCadenceSpm: stepsPerMinute(finiteNumber(pick((from) => from.cadence?.avg)), sport),
    device: session.product?.modelName,
    flags: ['summary_only', ...(start.known ? [] : ['utc_offset_unknown'])],
  } satisfies MappedRun);
  return checkedEntry(ref, run);
}

/**
 * One Polar Flow `training-session-*.json`: an entry per exercise (one for most sessions, one per
 * sport for multisport), every sport kept with its sport. Duration is ISO 8601 ("PT2712.5S"),
 * distance and ascent in metres, start in the watch's local time with its offset in minutes.
 */
export function parsePolarTrainingSession(input: Uint8Array | string, fileName = 'training-session.json'): ParsedExport {
  const session = readJson(input, fileName) as PolarSession;
  if (!session || typeof session !== 'object' || Array.isArray(session) || !(session.exercises || session.startTime)) {
    throw new TrackFormatError(`${fileName} is not a Polar Flow training session (no exercises, no start time)`, 'unsupported');
  }
  const exercises = Array.isArray(session.exercises) && session.exercises.length ? session.exercises : [session];
  return { entries: exercises.map((exercise, index) => toEntry(exercise, index, session, fileName, exercises.length)), warnings: [] };
}
