import { readFileSync } from 'node:fs';
import { Decoder, Stream } from '@garmin/fitsdk';
import { fixturePath } from '../../../test/support/shared-fixtures';
import { FitFileError, mapFitFile, replayRunLine } from './index';

/**
 * The real device files in shared/fixtures/fit (SOURCES.md says what each one is). Expected
 * figures come from each file's own session messages, read with Garmin's SDK — a decoder
 * independent of the fit-file-parser path under test.
 */
type Session = Record<string, unknown> & { sport?: string; startTime?: Date; totalDistance?: number; totalTimerTime?: number };

function garminSessions(file: string): { sessions: Session[]; activity?: Record<string, unknown> } {
  const { messages } = new Decoder(Stream.fromBuffer(readFileSync(fixturePath('fit', file)))).read();
  return {
    sessions: (messages.sessionMesgs ?? []) as Session[],
    activity: messages.activityMesgs?.[0] as Record<string, unknown> | undefined,
  };
}

const load = (file: string) => readFileSync(fixturePath('fit', file));

const RUNNING_FILES = [
  'running-with-developer-data.fit',
  'garmin-stamina.fit',
  'garmin-fenix-5-run.fit',
  'activity-small-fenix2-run.fit',
  'developer-types-sample.fit',
  'mornindew-broken.fit',
  '2013-02-06-12-11-14.fit',
  'sample_mulitple_header.fit',
  'activity-large-fenxi2-multisport.fit',
  'triathlon_summary_first.fit',
];

describe('mapFitFile on real running files', () => {
  it.each(RUNNING_FILES)('%s: each running session maps to its distance, duration, cadence and start', (file) => {
    const runs = mapFitFile(load(file)).filter(({ run }) => run.sport.endsWith('run'));
    const sessions = garminSessions(file).sessions.filter((session) => session.sport === 'running');
    expect(runs).toHaveLength(sessions.length);
    expect(sessions.length).toBeGreaterThan(0);
    runs.forEach(({ run, records }, i) => {
      const session = sessions[i];
      expect(run.source).toBe('fit');
      expect(run.distanceM).toBeCloseTo(session.totalDistance as number, 1);
      expect(run.movingS).toBeCloseTo(session.totalTimerTime as number, 2);
      expect(run.elapsedS).toBeCloseTo(session.totalElapsedTime as number, 2);
      expect(run.startUtc.toISOString()).toBe((session.startTime as Date).toISOString());
      const cadence = (session.avgRunningCadence ?? session.avgCadence) as number | undefined;
      // Without a session average, cadence and heart rate are averaged from the records instead.
      if (cadence) expect(run.avgCadenceSpm).toBeCloseTo(2 * (cadence + ((session.avgFractionalCadence as number) ?? 0)), 5);
      else if (run.avgCadenceSpm !== undefined) expect(run.avgCadenceSpm).toBeGreaterThan(100);
      if (session.avgHeartRate !== undefined) expect(run.avgHr).toBe(session.avgHeartRate);
      expect(records).toBeGreaterThan(0);
    });
  });

  it('takes the local offset from the activity message', () => {
    const [{ run }] = mapFitFile(load('running-with-developer-data.fit'));
    const { activity } = garminSessions('running-with-developer-data.fit');
    const localMs = Date.UTC(1989, 11, 31) + (activity!.localTimestamp as number) * 1000;
    expect(run.utcOffsetS).toBe(Math.round((localMs - (activity!.timestamp as Date).getTime()) / 1000));
    expect(run.utcOffsetS).toBe(7200);
    expect(run.flags).toEqual([]);
  });

  it('splits a run per kilometre, the splits adding up to the run', () => {
    const [{ run }] = mapFitFile(load('running-with-developer-data.fit'));
    const splits = run.splits!;
    expect(splits.length).toBe(Math.ceil(run.distanceM / 1000));
    expect(splits.slice(0, -1).every((split) => Math.abs(split.distanceM - 1000) < 0.5)).toBe(true);
    const total = splits.reduce((sum, split) => sum + split.distanceM, 0);
    expect(total).toBeGreaterThan(run.distanceM * 0.97);
    expect(total).toBeLessThanOrEqual(run.distanceM + 1);
    expect(splits.every((split) => split.avgCadenceSpm! > 120 && split.avgCadenceSpm! < 220)).toBe(true);
  });

  it('gives one run per session of a multisport file, only the running ones counting as runs', () => {
    const runs = mapFitFile(load('activity-large-fenxi2-multisport.fit'));
    expect(runs.map(({ run }) => run.sport)).toEqual(['other', 'other', 'run', 'other', 'run', 'other', 'ride']);
    expect(new Set(runs.map(({ run }) => run.externalId)).size).toBe(7);
  });

  it('maps the same file to the same external ids every time', () => {
    const ids = () => mapFitFile(load('sample_mulitple_header.fit')).map(({ run }) => run.externalId);
    expect(ids()).toEqual(ids());
    expect(ids()[0]).toBe('3915525118-1527406381-0');
  });

  it('places a run from a device whose clock was not set by its local timestamp', () => {
    const [{ run }] = mapFitFile(load('compressed-speed-distance.fit'));
    const { sessions, activity } = garminSessions('compressed-speed-distance.fit');
    const localMs = Date.UTC(1989, 11, 31) + (activity!.localTimestamp as number) * 1000;
    const expectedStart = localMs - ((activity!.timestamp as Date).getTime() - (sessions[0].startTime as Date).getTime());
    expect(run.startUtc.getTime()).toBe(expectedStart);
    expect(run.startUtc.getUTCFullYear()).toBe(2012);
    expect(run.flags).toEqual(expect.arrayContaining(['clock_not_set', 'utc_offset_unknown']));
    expect(run.distanceM).toBeCloseTo(sessions[0].totalDistance as number, 1);
    expect(run.movingS).toBeCloseTo(sessions[0].totalTimerTime as number, 2);
    expect(run.elapsedS).toBeCloseTo(sessions[0].totalElapsedTime as number, 2);
    expect(run.avgCadenceSpm).toBeCloseTo(2 * (sessions[0].avgRunningCadence as number), 5);
  });

  it.each([['strava-android-app-201.10-b1218918.fit'], ['activity-unexpected-eof.fit'], ['activity-settings-nodata.fit']])(
    '%s: keeps the activity before the truncation and flags it',
    (file) => {
      const [{ run }] = mapFitFile(load(file));
      const [session] = garminSessions(file).sessions;
      expect(run.flags).toContain('truncated');
      expect(run.distanceM).toBeCloseTo(session.totalDistance as number, 1);
      expect(run.startUtc.toISOString()).toBe((session.startTime as Date).toISOString());
    },
  );
});

describe('mapFitFile on non-running files', () => {
  it.each([
    ['garmin-fenix-5-walk.fit', 'walk'],
    ['activity_poolswim_with_hr.fit', 'swim'],
    ['garmin-fr935-cr.fit', 'swim'],
    ['coros-pace-2-cycling-misaligned-fields.fit', 'ride'],
    ['2019-02-17-062644-ELEMNT-297E-195-0.fit', 'ride'],
    ['Edge810-Vector-2013-08-16-15-35-10.fit', 'ride'],
    ['road-with-power.fit', 'ride'],
    ['unterminated-strings.fit', 'ride'],
  ])('%s is kept as a %s', (file, sport) => {
    const runs = mapFitFile(load(file));
    expect(runs.map(({ run }) => run.sport)).toEqual([sport]);
    const [session] = garminSessions(file).sessions;
    expect(runs[0].run.distanceM).toBeCloseTo((session.totalDistance as number) ?? 0, 1);
  });

  it('does not report bike cadence (rpm) as steps', () => {
    const [{ run }] = mapFitFile(load('road-with-power.fit'));
    expect(run.avgCadenceSpm).toBeUndefined();
  });

  it('counts walking cadence in steps', () => {
    const [{ run }] = mapFitFile(load('garmin-fenix-5-walk.fit'));
    expect(run.avgCadenceSpm).toBeCloseTo(2 * (61 + 0.2265625), 5);
  });
});

describe('mapFitFile on broken files', () => {
  it.each([
    ['activity-filecrc.fit', 'bad_crc', /^bad CRC: /],
    ['activity-activity-filecrc.fit', 'bad_crc', /^bad CRC \(in the FIT file chained at byte 771\)/],
    ['nick.fit', 'bad_crc', /^bad CRC: /],
    [
      'activity-settings-corruptheader.fit',
      'corrupt',
      /^corrupt: the file goes on after its activity with \d+ bytes that are not a valid FIT header/,
    ],
  ])('%s is refused as %s', (file, problem, message) => {
    const attempt = () => mapFitFile(load(file));
    expect(attempt).toThrow(FitFileError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as FitFileError).problem).toBe(problem);
    }
  });
});

describe('replayRunLine', () => {
  it('uses the replay run fields, local start with offset, plus sport, device and records', () => {
    const line = replayRunLine(mapFitFile(load('running-with-developer-data.fit'))[0]);
    expect(Object.keys(line)).toEqual([
      'type',
      'id',
      'start',
      'distance_m',
      'moving_s',
      'elapsed_s',
      'elevation_gain_m',
      'elevation_loss_m',
      'cadence_spm',
      'avg_hr',
      'sport',
      'device',
      'records',
    ]);
    expect(line).toMatchObject({ type: 'run', start: '2018-06-14T16:55:22+02:00', sport: 'run', device: 'Garmin Fenix 5 X' });
  });
});
