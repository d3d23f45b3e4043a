import { importRecordKind } from './record-kind';
import { dateOrderOf, localToInstant, parseLocalDateTime } from './local-time';
import { decimalMarkOf, parseClockDuration, parseIsoDuration, parseNumber } from './localised';
import { sanitiseRun } from './sanitise';
import { sportFromWords } from './sport-words';
import { decodeText } from './text';

describe('numbers and durations as exports write them', () => {
  it.each([
    [['"3.95"', '4,404', '2,336'], '.'],
    [['10,02', '1.310', '0,71'], ','],
    [['1.234,5'], ','],
    [['1,234.5'], '.'],
    [['4,404', '12,426'], undefined],
    [['00:35:20', 'Running', '--'], undefined],
  ])('decimal mark of %j is %s', (cells, mark) => {
    expect(decimalMarkOf(cells.map((cell) => cell.replace(/"/g, '')))).toBe(mark);
  });

  it.each([
    ['4,404', '.', 4404],
    ['3.95', '.', 3.95],
    ['3,95', ',', 3.95],
    ['1.234,5', ',', 1234.5],
    ["'-12", '.', -12],
    ['--', '.', undefined],
    ['', '.', undefined],
    ['abc', '.', undefined],
  ] as const)('parseNumber(%s, %s) = %s', (text, mark, value) => {
    expect(parseNumber(text, mark)).toBe(value);
  });

  it.each([
    ['00:35:20', 2120],
    ['1:02:03', 3723],
    ['35:20', 2120],
    ['06:25.8', 385.8],
    ['06:25,8', 385.8],
    ['25:10:00', 90_600],
    ['00:61:00', undefined],
    ['12:75', undefined],
    ['--', undefined],
  ])('clock duration %s = %s s', (text, seconds) => {
    expect(parseClockDuration(text)).toBe(seconds);
  });

  it.each([
    ['PT3010.000S', 3010],
    ['PT1H25M', 5100],
    ['PT43M0.5S', 2580.5],
    ['P1DT2H', 93_600],
    ['PT', undefined],
    ['3010', undefined],
  ])('ISO duration %s = %s s', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });
});

describe('wall-clock times', () => {
  it.each([
    ['2026-08-10 10:52:21', 'day-first', [2026, 8, 10, 10, 52, 21]],
    ['2026-08-10T10:52', 'day-first', [2026, 8, 10, 10, 52, 0]],
    ['10/08/2026 10:52:21', 'day-first', [2026, 8, 10, 10, 52, 21]],
    ['08/10/2026 10:52:21', 'month-first', [2026, 8, 10, 10, 52, 21]],
    ['10.08.2026 10:52', 'month-first', [2026, 8, 10, 10, 52, 0]],
    ['10/08/2026 8:02:43 PM', 'day-first', [2026, 8, 10, 20, 2, 43]],
  ] as const)('%s (%s)', (text, order, [year, month, day, hour, minute, second]) => {
    expect(parseLocalDateTime(text, order)).toEqual({ year, month, day, hour, minute, second });
  });

  it('refuses dates that do not exist and text that is no date', () => {
    expect(parseLocalDateTime('2026-02-30 08:00:00')).toBeUndefined();
    expect(parseLocalDateTime('31/13/2026 08:00')).toBeUndefined();
    expect(parseLocalDateTime('yesterday')).toBeUndefined();
  });

  it('tells day-first from month-first by the file, or says it cannot', () => {
    expect(dateOrderOf(['02/05/2024 07:00', '18/05/2024 07:00'])).toBe('day-first');
    expect(dateOrderOf(['05/02/2024 07:00', '05/18/2024 07:00'])).toBe('month-first');
    expect(dateOrderOf(['02/05/2024 07:00'])).toBe('ambiguous');
    expect(dateOrderOf(['2024-05-02 07:00'])).toBeUndefined();
  });

  it('places a wall clock in the runner zone, summer and winter time alike', () => {
    const summer = localToInstant({ year: 2024, month: 7, day: 1, hour: 7, minute: 0, second: 0 }, 'Europe/Oslo');
    const winter = localToInstant({ year: 2024, month: 1, day: 1, hour: 7, minute: 0, second: 0 }, 'Europe/Oslo');
    expect(summer).toEqual({ startUtc: new Date('2024-07-01T05:00:00Z'), utcOffsetS: 7200, flag: 'utc_offset_assumed' });
    expect(winter).toEqual({ startUtc: new Date('2024-01-01T06:00:00Z'), utcOffsetS: 3600, flag: 'utc_offset_assumed' });
  });

  it('gets the offset right on both sides of a clock change inside a month', () => {
    const day = (dayOfMonth: number) =>
      localToInstant({ year: 2024, month: 3, day: dayOfMonth, hour: 7, minute: 0, second: 0 }, 'Europe/Oslo');
    expect(day(30)).toMatchObject({ startUtc: new Date('2024-03-30T06:00:00Z'), utcOffsetS: 3600 });
    expect(day(31)).toMatchObject({ startUtc: new Date('2024-03-31T05:00:00Z'), utcOffsetS: 7200 });
    const newYork = localToInstant({ year: 2024, month: 11, day: 3, hour: 9, minute: 0, second: 0 }, 'America/New_York');
    expect(newYork).toMatchObject({ startUtc: new Date('2024-11-03T14:00:00Z'), utcOffsetS: -18_000 });
  });
});

describe('sportFromWords in the export languages', () => {
  it.each([
    ['Running', 'run'],
    ['TrailRun', 'trail_run'],
    ['VirtualRun', 'virtual_run'],
    ['VirtualRide', 'ride'],
    ['running/trail', 'trail_run'],
    ['9', 'run'],
    ['1', 'ride'],
    ['Laufen', 'run'],
    ['Laufband', 'treadmill_run'],
    ['Skilanglauf', 'other'],
    ['Eislaufen', 'other'],
    ['Course à pied', 'run'],
    ['Trail', 'trail_run'],
    ['Course sur tapis', 'treadmill_run'],
    ['Course sur piste', 'track_run'],
    ['Carrera en cinta', 'treadmill_run'],
    ['Carrera por montaña', 'trail_run'],
    ['Corsa su tapis roulant', 'treadmill_run'],
    ['Hardlopen op loopband', 'treadmill_run'],
    ['Baanlopen', 'track_run'],
    ['Corrida em esteira', 'treadmill_run'],
    ['Bieganie na bieżni', 'treadmill_run'],
    ['Bieganie w terenie', 'trail_run'],
    ['Narciarstwo biegowe', 'other'],
    ['Joga', 'other'],
    ['Wandern', 'hike'],
    ['Wandelen', 'walk'],
    ['Randonnée', 'hike'],
    ['Marche', 'walk'],
    ['Caminata', 'walk'],
    ['Camminata', 'walk'],
    ['Caminhada', 'walk'],
    ['Chodzenie', 'walk'],
    ['Radfahren', 'ride'],
    ['Fietsen', 'ride'],
    ['Jazda na rowerze', 'ride'],
    ['Pływanie na basenie', 'swim'],
    ['Indoor Rowing', 'other'],
    ['HKWorkoutActivityTypeHiking', 'hike'],
    ['HKWorkoutActivityTypeWheelchairRunPace', 'other'],
    ['HKWorkoutActivityTypeTrackAndField', 'other'],
    ['treadmill_running', 'treadmill_run'],
    ['indoor_running', 'treadmill_run'],
    ['ROAD_BIKING', 'ride'],
    ['Strength Training', 'other'],
  ])('%s → %s', (words, sport) => {
    expect(sportFromWords(words)).toBe(sport);
  });

  it('has no sport for no words', () => {
    expect(sportFromWords('  ')).toBeUndefined();
  });
});

describe('decodeText', () => {
  it('reads UTF-8 with or without a mark, UTF-16 with or without one', () => {
    expect(decodeText(Buffer.from('\ufeffDistanz,Zeit'), 'f')).toEqual({ text: 'Distanz,Zeit', encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('Zeit', 'utf16le').swap16()]), 'f').text).toBe('Zeit');
    expect(decodeText(Buffer.from('Aktivitätstyp,Datum', 'utf16le'), 'f')).toEqual({ text: 'Aktivitätstyp,Datum', encoding: 'utf-16le' });
  });

  it('reads Windows-1252 when the bytes are not UTF-8, saying so', () => {
    const decoded = decodeText(Buffer.from('Aktivitätstyp,Datum', 'latin1'), 'Activities.csv');
    expect(decoded.text).toBe('Aktivitätstyp,Datum');
    expect(decoded.warning).toMatch(/^Activities\.csv is not UTF-8/);
  });

  it('refuses binary content', () => {
    expect(() => decodeText(Buffer.from([0x01, 0x02, 0x03, 0x41]), 'x.csv')).toThrow('x.csv is not a text file (it holds binary data)');
  });
});

describe('sanitiseRun', () => {
  const run = { source: 'import', externalId: 'x', sport: 'run', startUtc: new Date(), utcOffsetS: 0, distanceM: 5000 } as const;

  it('keeps plausible figures untouched and says nothing', () => {
    const good = {
      ...run,
      avgHr: 150,
      avgCadenceSpm: 170,
      elevationGainM: 10,
      elevationLossM: 0,
      movingS: 1500,
      elapsedS: 1600,
      perceivedExertion: 6,
    };
    expect(sanitiseRun(good)).toEqual({ run: good, warnings: [] });
  });

  it('drops the impossible ones with a warning each, never the run', () => {
    const bad = { ...run, avgHr: 0, avgCadenceSpm: 900, elevationGainM: -50, movingS: -5, elapsedS: Number.NaN, perceivedExertion: 7.6 };
    const { run: checked, warnings } = sanitiseRun(bad);
    expect(checked).toEqual({ ...run, perceivedExertion: 8 });
    expect(warnings).toEqual([
      'elevation gain -50 m is out of range: left out',
      'average heart rate 0 is out of range: left out',
      'average cadence 900 is out of range: left out',
      'moving time -5 is out of range: left out',
      'elapsed time NaN is out of range: left out',
    ]);
  });
});

describe('importRecordKind', () => {
  it.each([
    ['123456789', 'import-export'],
    ['gpx-1714626612', 'import-track'],
    ['tcx-1714626612-0', 'import-track'],
    ['garmin-csv-2024-05-02T07:10:12', 'import-garmin-csv'],
    ['garmin-13001', 'import-garmin'],
    ['polar-2024-05-02-7012345678-6f1c', 'import-polar'],
    ['apple-applewatchvonana-1588483920', 'import-apple-applewatchvonana'],
    ['apple-strava-1588483921', 'import-apple-strava'],
  ])('%s is a %s record', (externalId, kind) => {
    expect(importRecordKind(externalId)).toBe(kind);
  });
});
