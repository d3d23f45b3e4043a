import { gzipSync } from 'node:zlib';
import { gpxTrack, stravaExportFiles, tcxActivity } from '../../../../test/support/archives';
import { mapActivityFile, sniff } from './activity-file';
import { mapGpx } from './gpx';
import { parseExportDate, parseLocalisedNumber } from './localised';
import { overlayExportActivity, parseActivitiesCsv } from './strava-export-csv';
import { mapTcx } from './tcx';

describe('parseExportDate', () => {
  it.each([
    ['Mar 2, 2025, 7:10:00 AM', '2025-03-02T07:10:00.000Z'],
    ['Mar 2, 2025, 7:10:00\u202fPM', '2025-03-02T19:10:00.000Z'],
    ['2 Mar 2025, 07:10:00', '2025-03-02T07:10:00.000Z'],
    ['02.03.2025, 07:10:00', '2025-03-02T07:10:00.000Z'],
    ['2 mars 2025, 07:10:00', '2025-03-02T07:10:00.000Z'],
    ['2. März 2025, 07:10:00', '2025-03-02T07:10:00.000Z'],
    ['2025-03-02 07:10:00', '2025-03-02T07:10:00.000Z'],
  ])('reads "%s" as UTC', (text, iso) => {
    expect(parseExportDate(text)?.toISOString()).toBe(iso);
  });

  it('gives up on text that is no date', () => {
    expect(parseExportDate('yesterday-ish')).toBeUndefined();
  });
});

describe('parseLocalisedNumber', () => {
  it.each([
    ['10230.5', 10230.5],
    ['10230,5', 10230.5],
    ['10.230,5', 10230.5],
    ['10,230.5', 10230.5],
    ['', undefined],
    ['n/a', undefined],
  ])('reads "%s"', (text, value) => {
    expect(parseLocalisedNumber(text)).toBe(value);
  });
});

describe('parseActivitiesCsv', () => {
  const csv = stravaExportFiles()['activities.csv'] as string;

  it('takes the metre and second columns of the repeated "Distance" and "Elapsed Time"', () => {
    const [first] = parseActivitiesCsv(csv);
    expect(first).toMatchObject({ activityId: '1001', distanceM: 10_230, elapsedS: 3_120, movingS: 3_100, avgCadence: 84, avgHr: 150 });
  });

  it('keeps quoted commas inside a value', () => {
    const activities = parseActivitiesCsv(csv);
    expect(activities[0].description).toBe('Easy, flat; knee fine');
    expect(activities[2].gear).toBe('Vaporfly, race pair');
  });

  it('refuses a CSV without the columns it needs, naming them', () => {
    expect(() => parseActivitiesCsv('Activity ID,Activity Type\n1,Run\n')).toThrow(
      'activities.csv is missing the columns Activity Date, Distance, Filename',
    );
  });

  it('builds a run from a hand-entered activity, counting its cadence in steps', () => {
    const activity = { ...parseActivitiesCsv(csv)[3], avgCadence: 85 };
    const run = overlayExportActivity(activity, undefined);
    expect(run).toMatchObject({ source: 'import', externalId: '1004', sport: 'run', distanceM: 5_500, avgCadenceSpm: 170, utcOffsetS: 0 });
    expect(run.flags).toEqual(['utc_offset_unknown', 'no_activity_file']);
  });
});

describe('GPX and TCX', () => {
  it('measures a GPX track: distance from positions, heart rate, cadence in steps', () => {
    const [run] = mapGpx(gpxTrack(new Date('2025-03-04T12:00:00Z'), 61));
    // 60 steps of 0.00025° latitude ≈ 27.8 m each.
    expect(run.distanceM).toBeCloseTo(60 * 27.8, -1);
    expect(run).toMatchObject({ sport: 'run', avgHr: 140, avgCadenceSpm: 164, elapsedS: 600, name: 'Lunch Run' });
    expect(run.splits).toHaveLength(2);
  });

  it('takes TCX lap totals and running cadence from the extension', () => {
    const [run] = mapTcx(tcxActivity(new Date('2025-03-06T07:00:00Z'), 5_000, 1_500));
    expect(run).toMatchObject({
      sport: 'run',
      distanceM: 5_000,
      movingS: 1_500,
      avgHr: 150,
      avgCadenceSpm: 172,
      device: 'Garmin Forerunner 245',
    });
  });

  it('refuses XML that is neither, and GPX without timed points', () => {
    expect(() => mapGpx('<gpx><trk><trkseg></trkseg></trk></gpx>')).toThrow('no activity in file: the GPX has no timed track points');
    expect(() => mapTcx('<foo/>')).toThrow('not a TCX file');
  });

  it('recognises files by content, not name, and unpacks .gz', () => {
    const gpx = gpxTrack(new Date('2025-03-04T12:00:00Z'), 5);
    expect(sniff(Buffer.from(gpx))).toBe('gpx');
    expect(mapActivityFile(gzipSync(gpx))).toHaveLength(1);
  });
});
