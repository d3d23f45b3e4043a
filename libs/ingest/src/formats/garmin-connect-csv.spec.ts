import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParsedEntry } from './parsed-entry';
import { parseGarminConnectCsv } from './garmin-connect-csv';
import { TrackFormatError } from './track-format-error';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

function runs(entries: ParsedEntry[]) {
  return entries
    .filter((entry): entry is Extract<ParsedEntry, { status: 'parsed' }> => entry.status === 'parsed')
    .map((entry) => entry.run);
}

function problemOf(action: () => unknown): { problem: string; message: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof TrackFormatError) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('expected a TrackFormatError');
}

describe('parseGarminConnectCsv (English, km)', () => {
  const result = parseGarminConnectCsv(fixture('garmin-activities-en.csv'), { timeZone: 'Europe/Berlin' });

  it('reads every line: runs, other sports kept with their sport, a run without distance rejected', () => {
    expect(result.language).toBe('en');
    expect(result.entries.map((entry) => (entry.status === 'parsed' ? entry.run.sport : 'rejected'))).toEqual([
      'run',
      'trail_run',
      'treadmill_run',
      'walk',
      'ride',
      'swim',
      'other',
      'run',
      'rejected',
    ]);
    expect(result.entries[8]).toEqual({
      status: 'rejected',
      ref: 'Activities.csv line 10 (Running, 2024-05-13 07:00)',
      reason: 'the row has no distance',
    });
  });

  it('works the unit out from cadence × stride length and says how', () => {
    expect(result.distanceUnit).toBe('km');
    expect(result.warnings).toEqual([
      'Activities.csv: distances read in km (cadence × stride length matches the distance in km on 5 of 5 activities)',
    ]);
  });

  it('maps a run: wall clock in the runner zone, times, climb, heart rate, cadence in steps', () => {
    const [run] = runs(result.entries);
    expect(run).toEqual({
      source: 'import',
      externalId: 'garmin-csv-2024-05-02T07:10:12',
      sport: 'run',
      sourceSport: 'Running',
      name: 'Morning Run',
      startUtc: new Date('2024-05-02T05:10:12Z'),
      utcOffsetS: 7200,
      distanceM: 10_020,
      movingS: 2998,
      elapsedS: 3090,
      elevationGainM: 45,
      elevationLossM: 47,
      avgHr: 148,
      avgCadenceSpm: 172,
      flags: ['utc_offset_assumed', 'summary_only'],
    });
  });

  it('reads pool swims in metres with a thousands comma, and keeps a 0 km strength session', () => {
    const all = runs(result.entries);
    expect(all.find((run) => run.sport === 'swim')?.distanceM).toBe(1500);
    expect(all.find((run) => run.sport === 'other')).toMatchObject({ distanceM: 0, movingS: 1800, elapsedS: 2700 });
  });

  it('without a time zone takes the wall clock as UTC and flags the offset unknown', () => {
    const [run] = runs(parseGarminConnectCsv(fixture('garmin-activities-en.csv')).entries);
    expect(run).toMatchObject({ startUtc: new Date('2024-05-02T07:10:12Z'), utcOffsetS: 0, flags: ['utc_offset_unknown', 'summary_only'] });
  });
});

describe('parseGarminConnectCsv (miles)', () => {
  it('reads an imperial account in miles and feet, told by stride lengths in feet', () => {
    const result = parseGarminConnectCsv(fixture('garmin-activities-en-miles.csv'));
    expect(result.distanceUnit).toBe('mi');
    const [run, trail] = runs(result.entries);
    expect(run.distanceM).toBeCloseTo(6.23 * 1609.344, 3);
    expect(run.elevationGainM).toBeCloseTo(148 * 0.3048, 3);
    expect(trail.elevationGainM).toBeCloseTo(2008 * 0.3048, 3);
    expect(runs(result.entries).find((entry) => entry.sport === 'swim')?.distanceM).toBeCloseTo(1640 * 0.9144, 3);
  });

  it('without strides, decides by plausible paces when only one unit gives them', () => {
    const header = 'Activity Type,Date,Favorite,Title,Distance,Time';
    const slowAsKm = ['3.00', '3.40', '3.20'].map((miles, i) => `Running,2024-05-0${i + 1} 07:00:00,false,"Run","${miles}","00:45:00"`);
    const result = parseGarminConnectCsv([header, ...slowAsKm].join('\n'));
    expect(result.distanceUnit).toBe('mi');
    expect(result.warnings[0]).toMatch(/only miles give plausible speeds/);
  });

  it('refuses to guess when both units give plausible paces, and takes the unit when told', () => {
    const header = 'Activity Type,Date,Favorite,Title,Distance,Time';
    const csv = [
      header,
      'Running,2024-05-01 07:00:00,false,"Run","6.00","00:40:00"',
      'Running,2024-05-03 07:00:00,false,"Run","8.00","00:55:00"',
    ].join('\n');
    const refused = problemOf(() => parseGarminConnectCsv(csv));
    expect(refused.problem).toBe('ambiguous_units');
    expect(refused.message).toMatch(
      /cannot tell whether its distances are kilometres or miles \(its runs average 8\.9 km\/h read as kilometres, 14\.3 km\/h read as miles\)/,
    );
    expect(runs(parseGarminConnectCsv(csv, { distanceUnit: 'mi' }).entries)[0].distanceM).toBeCloseTo(6 * 1609.344, 3);
  });
});

describe('parseGarminConnectCsv in other languages', () => {
  const cases: [string, string, string[]][] = [
    ['garmin-activities-de.csv', 'de', ['run', 'trail_run', 'treadmill_run', 'walk', 'ride', 'hike', 'other']],
    ['garmin-activities-fr.csv', 'fr', ['run', 'trail_run', 'treadmill_run', 'hike', 'other', 'walk']],
    ['garmin-activities-es.csv', 'es', ['run', 'treadmill_run', 'walk', 'ride', 'trail_run']],
    ['garmin-activities-it.csv', 'it', ['run', 'treadmill_run', 'walk', 'hike', 'ride']],
    ['garmin-activities-nl.csv', 'nl', ['run', 'run', 'run', 'walk', 'ride']],
    ['garmin-activities-pt.csv', 'pt', ['run', 'treadmill_run', 'walk', 'ride']],
    ['garmin-activities-pl.csv', 'pl', ['run', 'treadmill_run', 'walk', 'swim', 'other', 'other']],
  ];

  it.each(cases)('%s: headers and activity types in %s', (file, language, sports) => {
    const result = parseGarminConnectCsv(fixture(file), { timeZone: 'Europe/Berlin' });
    expect(result.language).toBe(language);
    expect(result.distanceUnit).toBe('km');
    expect(result.entries.every((entry) => entry.status === 'parsed')).toBe(true);
    expect(runs(result.entries).map((run) => run.sport)).toEqual(sports);
    // The first line of each is the same 10.02 km run.
    expect(runs(result.entries)[0]).toMatchObject({ distanceM: 10_020, startUtc: new Date('2024-05-02T05:10:12Z'), avgHr: 148 });
  });

  it('reads decimal commas and day/month/year dates (Spanish fixture)', () => {
    const [run, , , ride] = runs(parseGarminConnectCsv(fixture('garmin-activities-es.csv')).entries);
    expect(run).toMatchObject({ distanceM: 10_020, movingS: 2998, startUtc: new Date('2024-05-02T07:10:12Z') });
    expect(ride).toMatchObject({ distanceM: 42_300, startUtc: new Date('2024-05-18T17:00:00Z') });
  });

  it('reads mm:ss.s durations (Italian fixture) and the steps / Body Battery oddities (French fixture)', () => {
    expect(runs(parseGarminConnectCsv(fixture('garmin-activities-it.csv')).entries)[1]).toMatchObject({
      movingS: 1650.4,
      elapsedS: 1650.4,
    });
    const french = runs(parseGarminConnectCsv(fixture('garmin-activities-fr.csv')).entries);
    expect(french[3]).toMatchObject({ sport: 'hike', movingS: 7031, elapsedS: 10_178, elevationGainM: 322, avgCadenceSpm: 65 });
  });

  it('decides the unit from paces when the export has no run cadence (Dutch fixture)', () => {
    expect(parseGarminConnectCsv(fixture('garmin-activities-nl.csv')).warnings[0]).toMatch(
      /distances read in km \(only kilometres give plausible speeds/,
    );
  });

  it('explains a Garmin CSV in a language it does not read, naming the columns and the languages it does', () => {
    const refused = problemOf(() => parseGarminConnectCsv(fixture('garmin-activities-cs.csv')));
    expect(refused.problem).toBe('unsupported');
    expect(refused.message).toBe(
      'Activities.csv looks like a Garmin Connect activities CSV in a language we do not read (its columns start "Typ aktivity, Datum, Oblíbené, Název"); ' +
        "we read it in English, German, French, Spanish, Italian, Dutch, Portuguese, Polish: switch Garmin Connect to one of them and export again, or send Garmin's full account export",
    );
  });
});

describe('parseGarminConnectCsv: bad input', () => {
  const english = readFileSync(join(__dirname, 'fixtures', 'garmin-activities-de.csv'), 'utf8');

  it('reads a UTF-16 file (Excel "Unicode text") and a Windows-1252 one (with a warning)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(english, 'utf16le')]);
    expect(parseGarminConnectCsv(utf16).language).toBe('de');
    const latin1 = Buffer.from(english.replace(/[Ø]/g, 'Ø'), 'latin1');
    const result = parseGarminConnectCsv(latin1);
    expect(result.language).toBe('de');
    expect(result.warnings[0]).toMatch(/is not UTF-8: read it as Windows-1252/);
  });

  it('refuses binary data and a CSV that is not Garmin', () => {
    expect(problemOf(() => parseGarminConnectCsv(Buffer.from([0, 1, 2, 3, 0, 0, 7, 8, 0, 9, 10])))).toMatchObject({ problem: 'encoding' });
    expect(problemOf(() => parseGarminConnectCsv('Name,Sport,Date\nx,y,z\n')).message).toBe(
      'Activities.csv is not a Garmin Connect activities CSV (its columns start "Name, Sport, Date")',
    );
  });

  it('refuses a Garmin header without a distance column, and an unknown time zone', () => {
    expect(
      problemOf(() => parseGarminConnectCsv('Activity Type,Date,Favorite,Title,Time\nRunning,2024-05-01 07:00:00,false,x,00:10:00')),
    ).toEqual({
      problem: 'missing_columns',
      message: 'Activities.csv has no distance column',
    });
    expect(problemOf(() => parseGarminConnectCsv(fixture('garmin-activities-en.csv'), { timeZone: 'Mars/Olympus' })).message).toMatch(
      /unknown time zone/,
    );
  });

  it('rejects a line with an unreadable date, keeps a line with an impossible heart rate without it', () => {
    const csv = [
      'Activity Type,Date,Favorite,Title,Distance,Time,Avg HR,Total Descent',
      'Running,yesterday,false,"Run","5.00","00:25:00","150","10"',
      'Running,2024-05-01 07:00:00,false,"Run","5.00","00:25:00","312","-0.4"',
    ].join('\n');
    const result = parseGarminConnectCsv(csv, { distanceUnit: 'km' });
    expect(result.entries[0]).toMatchObject({ status: 'rejected', reason: 'cannot read the date "yesterday"' });
    expect(result.entries[1]).toMatchObject({
      status: 'parsed',
      warnings: ['elevation loss -0.4 m is below zero: read as 0 m', 'average heart rate 312 is out of range: left out'],
    });
    expect(result.entries[1].status === 'parsed' && result.entries[1].run).toMatchObject({ elevationLossM: 0, distanceM: 5000 });
    expect(result.entries[1].status === 'parsed' && result.entries[1].run.avgHr).toBeUndefined();
  });
});
