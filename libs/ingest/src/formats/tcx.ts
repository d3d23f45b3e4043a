import { MappedRun } from '@deload/domain';
import { TrackFormatError } from './track-format-error';
import { sportFromWords, summariseTrack, TrackPoint } from './track';
import { child, children, numberAt, parseXml, textAt, timeAt, XmlNode } from './xml';

function trackPoint(point: XmlNode): TrackPoint | undefined {
  const timeMs = timeAt(point, 'Time');
  if (timeMs === undefined) return undefined;
  const position = child(point, 'Position');
  return {
    timeMs,
    lat: numberAt(position, 'LatitudeDegrees'),
    lon: numberAt(position, 'LongitudeDegrees'),
    altitudeM: numberAt(point, 'AltitudeMeters'),
    distanceM: numberAt(point, 'DistanceMeters'),
    heartRate: numberAt(point, 'HeartRateBpm', 'Value'),
    // Running cadence sits in Garmin's extension; <Cadence> is for bikes.
    cadence: numberAt(point, 'Extensions', 'TPX', 'RunCadence') ?? numberAt(point, 'Cadence'),
  };
}

function sumOf(laps: XmlNode[], field: string): number | undefined {
  const values = laps.map((lap) => numberAt(lap, field));
  return values.every((value) => value !== undefined) && values.length ? values.reduce((a, b) => a! + b!, 0) : undefined;
}

/** Each TCX <Activity> as a run; lap totals (distance, timer time) win over measuring the track. */
export function mapTcx(text: string): MappedRun[] {
  const database = child(parseXml(text), 'TrainingCenterDatabase');
  if (!database) throw new TrackFormatError('not a TCX file: no <TrainingCenterDatabase> element');
  const activities = children(child(database, 'Activities'), 'Activity');
  const runs = activities.flatMap((activity, index) => {
    const laps = children(activity, 'Lap');
    const points = laps
      .flatMap((lap) => children(lap, 'Track'))
      .flatMap((track) => children(track, 'Trackpoint'))
      .map(trackPoint)
      .filter((point): point is TrackPoint => point !== undefined);
    const start = timeAt(activity, 'Id') ?? timeAt(laps[0], 'StartTime');
    if (points.length === 0 && start !== undefined) points.push({ timeMs: start });
    const words = textAt(activity, 'Sport');
    const sport = sportFromWords(words);
    const run = summariseTrack({
      externalId: `tcx-${Math.round((start ?? points[0]?.timeMs ?? 0) / 1000)}-${index}`,
      sport: sport ?? 'run',
      sourceSport: words,
      device: textAt(activity, 'Creator', 'Name'),
      points,
      distanceM: sumOf(laps, 'DistanceMeters'),
      movingS: sumOf(laps, 'TotalTimeSeconds'),
      flags: sport ? [] : ['sport_assumed'],
    });
    return run ? [run] : [];
  });
  if (runs.length === 0) throw new TrackFormatError('no activity in file: the TCX has no timed activity');
  return runs;
}
