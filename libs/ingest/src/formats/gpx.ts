import { MappedRun } from '@deload/domain';
import { TrackFormatError } from './track-format-error';
import { sportFromWords, summariseTrack, TrackPoint } from './track';
import { child, children, numberAt, parseXml, textAt, timeAt, XmlNode } from './xml';

function trackPoint(point: XmlNode): TrackPoint | undefined {
  const timeMs = timeAt(point, 'time');
  if (timeMs === undefined) return undefined;
  const extension = child(child(point, 'extensions'), 'TrackPointExtension');
  return {
    timeMs,
    lat: numberAt(point, 'lat'),
    lon: numberAt(point, 'lon'),
    altitudeM: numberAt(point, 'ele'),
    heartRate: numberAt(extension, 'hr'),
    cadence: numberAt(extension, 'cad'),
  };
}

/** A GPX track (with Garmin's TrackPointExtension heart rate and cadence) as one run. */
export function mapGpx(text: string): MappedRun[] {
  const gpx = child(parseXml(text), 'gpx');
  if (!gpx) throw new TrackFormatError('not a GPX file: no <gpx> element');
  const tracks = children(gpx, 'trk');
  const points = tracks
    .flatMap((track) => children(track, 'trkseg'))
    .flatMap((segment) => children(segment, 'trkpt'))
    .map(trackPoint)
    .filter((point): point is TrackPoint => point !== undefined);
  if (points.length === 0) throw new TrackFormatError('no activity in file: the GPX has no timed track points');
  const words = textAt(tracks[0], 'type');
  const sport = sportFromWords(words);
  const run = summariseTrack({
    externalId: `gpx-${Math.round(Math.min(...points.map((point) => point.timeMs)) / 1000)}`,
    sport: sport ?? 'run',
    sourceSport: words,
    name: textAt(tracks[0], 'name'),
    device: textAt(gpx, 'creator'),
    points,
    flags: sport ? [] : ['sport_assumed'],
  });
  return run ? [run] : [];
}
