import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFitRun } from '../../../../test/support/fit-files';
import { mapActivityFile } from './activity-file';
import { GarminExportMatcher, garminExportLayout, parseGarminSummaries } from './garmin-connect-export';
import { ParsedEntry } from './parsed-entry';
import { TrackFormatError } from './track-format-error';

const summaries = readFileSync(join(__dirname, 'fixtures', 'garmin-summarizedActivities.json'));

function parsedRuns(entries: ParsedEntry[]) {
  return entries.flatMap((entry) => (entry.status === 'parsed' ? [entry.run] : []));
}

describe('garminExportLayout', () => {
  it('finds the summaries and the nested upload archives by their paths in the export', () => {
    const entries = [
      'DI_CONNECT/DI-Connect-Fitness/ana@example.com_0_summarizedActivities.json',
      'DI_CONNECT/DI-Connect-Fitness/ana@example.com_1_summarizedActivities.json',
      'DI_CONNECT/DI-Connect-Fitness/ana@example.com_gear.json',
      'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip',
      'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip',
      'DI_CONNECT/DI-Connect-User/user_profile.json',
    ];
    expect(garminExportLayout(entries)).toEqual({ summaryFiles: entries.slice(0, 2), uploadArchives: entries.slice(3, 5) });
    expect(garminExportLayout(['DI_CONNECT/DI-Connect-User/user_profile.json'])).toBeUndefined();
  });
});

describe('parseGarminSummaries', () => {
  const { entries } = parseGarminSummaries(summaries);

  it('gives one entry per activity: every sport kept, the one without a start rejected', () => {
    expect(entries.map((entry) => (entry.status === 'parsed' ? entry.run.sport : entry.status))).toEqual([
      'run',
      'trail_run',
      'treadmill_run',
      'walk',
      'ride',
      'other',
      'run',
      'run',
      'rejected',
    ]);
    expect(entries[8]).toEqual({
      status: 'rejected',
      ref: 'Garmin activity 13009 (running, No start)',
      reason: 'the summary has no start time',
    });
  });

  it('converts centimetres and milliseconds, takes the offset from local vs GMT time, cadence in steps', () => {
    expect(entries[0]).toEqual({
      status: 'parsed',
      ref: 'Garmin activity 13001 (running, Morning Run, 2024-05-02 05:10)',
      warnings: [],
      run: {
        source: 'import',
        externalId: 'garmin-13001',
        sport: 'run',
        sourceSport: 'running',
        name: 'Morning Run',
        startUtc: new Date('2024-05-02T05:10:12Z'),
        utcOffsetS: 7200,
        distanceM: 10_020,
        movingS: 3000,
        elapsedS: 3070,
        elevationGainM: 45,
        elevationLossM: 47,
        avgHr: 148,
        avgCadenceSpm: 172,
        flags: ['summary_only'],
      },
    });
    const [, , , walk, ride, , , newYork] = parsedRuns(entries);
    expect(walk.avgCadenceSpm).toBe(112);
    expect(ride).toMatchObject({ sourceSport: 'cycling', distanceM: 42_300 });
    expect(newYork.utcOffsetS).toBe(-4 * 3600);
  });

  it('keeps a run whose figures are off, without them: -0.3 m descent as 0, a heart rate of 300 left out', () => {
    expect(entries[2]).toMatchObject({ warnings: ['elevation loss -0.3 m is below zero: read as 0 m'] });
    expect(parsedRuns(entries)[2].elevationLossM).toBe(0);
    expect(entries[7]).toMatchObject({ warnings: ['average heart rate 300 is out of range: left out'] });
  });

  it('flags a hand-entered activity', () => {
    expect(parsedRuns(entries)[6].flags).toEqual(['summary_only', 'no_activity_file']);
  });

  it('refuses damaged JSON and JSON that is not a summary file', () => {
    const damaged = summaries.subarray(0, summaries.length / 2);
    expect(() => parseGarminSummaries(damaged)).toThrow(/summarizedActivities\.json is not valid JSON .*; the export may be damaged/);
    expect(() => parseGarminSummaries('{"gearDTOS": []}')).toThrow(TrackFormatError);
    expect(() => parseGarminSummaries('{"gearDTOS": []}')).toThrow(
      'summarizedActivities.json is not a Garmin activity summary file (no "summarizedActivitiesExport" list)',
    );
  });
});

describe('GarminExportMatcher', () => {
  const { entries } = parseGarminSummaries(summaries);
  const fitRun = (start: string) =>
    mapActivityFile(buildFitRun({ start: new Date(start), distanceM: 10_050, durationS: 3_000, utcOffsetS: 7200, serialNumber: 7 }))[0];

  it('lays the summary over the FIT run that starts within a minute of it; the rest stay summaries', () => {
    const matcher = new GarminExportMatcher(entries);
    const claimed = matcher.claim(fitRun('2024-05-02T05:10:40Z'));
    expect(claimed?.summaryRef).toBe('Garmin activity 13001 (running, Morning Run, 2024-05-02 05:10)');
    expect(claimed?.run).toMatchObject({ source: 'fit', name: 'Morning Run', distanceM: 10_050 });
    expect(matcher.unclaimed()).toHaveLength(entries.length - 1);
    expect(matcher.unclaimed().some((entry) => entry.ref.includes('13001'))).toBe(false);
  });

  it('leaves a file alone when no summary is near it, and never gives one summary to two files', () => {
    const matcher = new GarminExportMatcher(entries);
    expect(matcher.claim(fitRun('2024-07-01T05:00:00Z'))).toBeUndefined();
    expect(matcher.claim(fitRun('2024-05-02T05:10:12Z'))).toBeDefined();
    expect(matcher.claim(fitRun('2024-05-02T05:10:20Z'))).toBeUndefined();
    expect(matcher.unclaimed().filter((entry) => entry.status === 'rejected')).toHaveLength(1);
  });
});
