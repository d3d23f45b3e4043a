import { countsCadencePerLeg, MappedRun } from '@deload/domain';
import { decodeFit, DecodeOptions } from './decode';
import { describeDevice } from './device';
import { FitFileError } from './errors';
import { dateField, FitMessage, FitMessages, numberField, stringField } from './messages';
import { climbing, mean, Sample, toSample } from './samples';
import { kilometreSplits } from './splits';
import { describeFitSport, normaliseFitSport } from './sport';
import { activityClock, isSystemTime } from './time';

export interface FitRun {
  run: MappedRun;
  /** Record messages (track points) inside the session. */
  records: number;
}

/** Decodes a FIT file and maps each session (one per sport of a multisport file) to a run. */
export function mapFitFile(bytes: Uint8Array, options: DecodeOptions = {}): FitRun[] {
  const { messages, flags } = decodeFit(bytes, options);
  return mapFitMessages(messages, flags);
}

export function mapFitMessages(messages: FitMessages, fileFlags: string[] = []): FitRun[] {
  const samples = messages.records.map(toSample).filter((sample): sample is Sample => sample !== undefined);
  samples.sort((a, b) => a.timeMs - b.timeMs);
  const sessions = messages.sessions.length ? messages.sessions : [sessionFromSamples(messages, samples)];
  const context: FileContext = {
    fileId: messages.fileIds[0],
    device: describeDevice(messages.fileIds[0]),
    clock: activityClock(messages.activities[0]),
    flags: fileFlags,
    synthesised: messages.sessions.length === 0,
  };
  return sessions.map((session, index) => mapSession(session, index, samplesOf(session, samples), context));
}

interface FileContext {
  fileId?: FitMessage;
  device?: string;
  clock: ReturnType<typeof activityClock>;
  flags: string[];
  /** True when the file has no session message and the run was summed from its records. */
  synthesised: boolean;
}

function mapSession(session: FitMessage, index: number, samples: Sample[], context: FileContext): FitRun {
  const sport = normaliseFitSport(stringField(session, 'sport'), stringField(session, 'sub_sport'));
  const flags = [...context.flags, ...(context.synthesised ? ['no_session'] : [])];
  const start = sessionStart(session, samples);
  if (isSystemTime(start) && context.clock.correctionMs === 0) {
    throw new FitFileError('corrupt', 'corrupt: the device clock was not set, so the file does not say when the activity happened');
  }
  if (context.clock.correctionMs !== 0) flags.push('clock_not_set');
  if (context.clock.utcOffsetS === undefined) flags.push('utc_offset_unknown');
  const stepsPerCadence = countsCadencePerLeg(sport) ? 2 : undefined;
  const climb = climbing(samples);
  const cadence = sessionCadence(session) ?? mean(samples.map((sample) => sample.cadence));
  const run: MappedRun = {
    source: 'fit',
    externalId: externalId(context.fileId, session, index),
    sport,
    sourceSport: describeFitSport(stringField(session, 'sport'), stringField(session, 'sub_sport')),
    startUtc: new Date(start.getTime() + context.clock.correctionMs),
    utcOffsetS: context.clock.utcOffsetS ?? 0,
    distanceM: numberField(session, 'total_distance') ?? distanceOf(samples) ?? 0,
    movingS: numberField(session, 'total_timer_time') ?? numberField(session, 'total_elapsed_time') ?? durationOf(samples),
    elapsedS: numberField(session, 'total_elapsed_time') ?? durationOf(samples),
    elevationGainM: numberField(session, 'total_ascent') ?? climb?.gainM,
    elevationLossM: numberField(session, 'total_descent') ?? climb?.lossM,
    avgCadenceSpm: stepsPerCadence && cadence ? cadence * stepsPerCadence : undefined,
    avgHr: numberField(session, 'avg_heart_rate') ?? roundOrUndefined(mean(samples.map((sample) => sample.heartRate))),
    device: context.device,
    flags: [...new Set(flags)],
  };
  const splits = countsCadencePerLeg(sport) && !flags.includes('truncated') ? kilometreSplits(samples, stepsPerCadence) : [];
  if (splits.length) run.splits = splits;
  return { run: withoutUndefined(run), records: samples.length };
}

function sessionCadence(session: FitMessage): number | undefined {
  const whole = numberField(session, 'avg_running_cadence') ?? numberField(session, 'avg_cadence');
  if (!whole) return undefined;
  return whole + (numberField(session, 'avg_fractional_cadence') ?? 0);
}

function sessionStart(session: FitMessage, samples: Sample[]): Date {
  const start = dateField(session, 'start_time') ?? (samples.length ? new Date(samples[0].timeMs) : undefined);
  if (!start) throw new FitFileError('no_activity', 'no activity in file: its session has no start time');
  return start;
}

/** The records inside a session's time span (multisport files hold several sessions). */
function samplesOf(session: FitMessage, samples: Sample[]): Sample[] {
  const start = dateField(session, 'start_time')?.getTime();
  const elapsedS = numberField(session, 'total_elapsed_time');
  if (start === undefined) return samples;
  const end = elapsedS !== undefined ? start + elapsedS * 1000 : (dateField(session, 'timestamp')?.getTime() ?? Infinity);
  return samples.filter((sample) => sample.timeMs >= start && sample.timeMs <= end);
}

/** A session built from the file's records and sport message, for files that end without one. */
function sessionFromSamples(messages: FitMessages, samples: Sample[]): FitMessage {
  const sport = messages.sports[0] ?? messages.laps[0] ?? {};
  return {
    sport: sport.sport ?? 'generic',
    sub_sport: sport.sub_sport,
    start_time: samples.length ? new Date(samples[0].timeMs) : undefined,
  };
}

/**
 * Stable per activity: the same file, or the same activity exported again, gives the same id.
 * file_id serial number + time_created identify the recording; the index picks the session.
 */
function externalId(fileId: FitMessage | undefined, session: FitMessage, index: number): string {
  const recorder =
    stringField(fileId, 'serial_number') ?? [stringField(fileId, 'manufacturer'), stringField(fileId, 'product')].filter(Boolean).join('.');
  const created = dateField(fileId, 'time_created') ?? dateField(session, 'start_time');
  return `${recorder || 'unknown'}-${created ? Math.round(created.getTime() / 1000) : 'undated'}-${index}`;
}

function distanceOf(samples: Sample[]): number | undefined {
  const distances = samples.map((sample) => sample.distanceM).filter((distance): distance is number => distance !== undefined);
  return distances.length >= 2 ? distances[distances.length - 1] - distances[0] : undefined;
}

function durationOf(samples: Sample[]): number | undefined {
  return samples.length >= 2 ? (samples[samples.length - 1].timeMs - samples[0].timeMs) / 1000 : undefined;
}

function roundOrUndefined(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
