import { buildFitRun } from '../../../../test/support/fit-files';
import { mapActivityFile } from './activity-file';
import { ExportActivity, mapExportActivity, overlayExportActivity, parseActivitiesCsv } from './strava-export-csv';

// The columns of a Strava bulk export's activities.csv that matter here, in Strava's order (the
// first "Distance" in the account's display unit, the later one in metres).
const HEADER =
  'Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Activity Gear,Filename,Elapsed Time,Moving Time,Distance,Elevation Gain,Elevation Loss,Average Cadence,Average Heart Rate,Perceived Exertion';

function row(
  id: number,
  date: string,
  type: string,
  display: string,
  metres: string,
  extra: Partial<Record<'file' | 'loss' | 'exertion' | 'cadence' | 'hr', string>> = {},
) {
  return [
    id,
    `"${date}"`,
    'Run',
    type,
    1800,
    display,
    '"Pegasus 40"',
    extra.file ?? `activities/${id}.fit.gz`,
    1800,
    1750,
    metres,
    12,
    extra.loss ?? 11,
    extra.cadence ?? 84,
    extra.hr ?? 150,
    extra.exertion ?? '',
  ].join(',');
}

const csv = (...rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;
const parsedRun = (activity: ExportActivity, fromFile?: Parameters<typeof mapExportActivity>[1]) => {
  const entry = mapExportActivity(activity, fromFile);
  if (entry.status !== 'parsed') throw new Error(`rejected: ${entry.reason}`);
  return entry;
};

describe('Strava export: a row without its activity file', () => {
  it('becomes a summary-only run from the row: date, distance, times, climb, cadence in steps, heart rate, gear', () => {
    const [activity] = parseActivitiesCsv(csv(row(2001, 'Mar 2, 2025, 6:10:00 AM', 'Run', '10.23', '10230.0')));
    const { run, warnings, ref } = parsedRun(activity);
    expect(ref).toBe('activities.csv line 1 (Run, Mar 2, 2025, 6:10:00 AM)');
    expect(warnings).toEqual([]);
    expect(run).toEqual({
      source: 'import',
      externalId: '2001',
      sport: 'run',
      sourceSport: 'Run',
      name: 'Run',
      gearRef: 'Pegasus 40',
      startUtc: new Date('2025-03-02T06:10:00Z'),
      utcOffsetS: 0,
      distanceM: 10_230,
      elapsedS: 1800,
      movingS: 1750,
      elevationGainM: 12,
      elevationLossM: 11,
      avgCadenceSpm: 168,
      avgHr: 150,
      flags: ['utc_offset_unknown', 'summary_only'],
    });
  });

  it('is the same run (same source and Strava id) as the one its file gives later, so an import with the file updates it', () => {
    const [activity] = parseActivitiesCsv(csv(row(2001, 'Mar 2, 2025, 6:10:00 AM', 'Run', '10.23', '10230.0')));
    const [fromFile] = mapActivityFile(
      buildFitRun({ start: new Date('2025-03-02T06:10:00Z'), distanceM: 10_230, durationS: 3_120, utcOffsetS: 3600 }),
    );
    const withFile = parsedRun(activity, fromFile).run;
    const summary = parsedRun(activity).run;
    expect([withFile.source, withFile.externalId]).toEqual([summary.source, summary.externalId]);
    expect(withFile.flags).not.toContain('summary_only');
    expect(withFile.utcOffsetS).toBe(3600);
  });
});

describe('Strava export: blank metres column', () => {
  it('takes the display-units Distance in km when the other rows show the export is metric', () => {
    const activities = parseActivitiesCsv(
      csv(
        row(1, 'Mar 2, 2025, 6:10:00 AM', 'Run', '10.23', '10230.0'),
        row(2, 'Mar 3, 2025, 6:10:00 AM', 'Run', '5.00', '5000.0'),
        row(3, 'Mar 4, 2025, 6:10:00 AM', 'Run', '7.41', ''),
      ),
    );
    expect(activities[2]).toMatchObject({ distanceM: 7410, distanceNote: 'distance read from the display column: 7.41 km' });
    expect(parsedRun(activities[2])).toMatchObject({
      run: { distanceM: 7410 },
      warnings: ['distance read from the display column: 7.41 km'],
    });
  });

  it('in miles when the export is imperial', () => {
    const activities = parseActivitiesCsv(
      csv(row(1, 'Mar 2, 2025, 6:10:00 AM', 'Run', '6.36', '10235.4'), row(2, 'Mar 3, 2025, 6:10:00 AM', 'Run', '4.61', '')),
    );
    expect(activities[1].distanceM).toBeCloseTo(4.61 * 1609.344, 6);
  });

  it('reports the row — never 0 km — when no row tells the unit', () => {
    const [activity] = parseActivitiesCsv(csv(row(1, 'Mar 2, 2025, 6:10:00 AM', 'Run', '7.41', '')));
    expect(mapExportActivity(activity, undefined)).toEqual({
      status: 'rejected',
      ref: 'activities.csv line 1 (Run, Mar 2, 2025, 6:10:00 AM)',
      reason: 'no distance: its metres column is blank and the export does not tell whether its Distance 7.41 is in km or mi',
    });
    expect(() => overlayExportActivity(activity, undefined)).toThrow(
      'activities.csv line 1 (Run, Mar 2, 2025, 6:10:00 AM): no distance: its metres column is blank',
    );
  });
});

describe('Strava export: out-of-range figures cost the figure, never the run', () => {
  it('reads a -0.3 m elevation loss as 0, drops a -40 m one, an exertion of 15 and a heart rate of 0', () => {
    const activities = parseActivitiesCsv(
      csv(
        row(1, 'Mar 2, 2025, 6:10:00 AM', 'Run', '10.23', '10230.0', { loss: '-0.3' }),
        row(2, 'Mar 3, 2025, 6:10:00 AM', 'Run', '5.00', '5000.0', { loss: '-40', exertion: '15', hr: '0.0' }),
      ),
    );
    const first = parsedRun(activities[0]);
    expect(first.run.elevationLossM).toBe(0);
    expect(first.warnings).toEqual(['elevation loss -0.3 m is below zero: read as 0 m']);
    const second = parsedRun(activities[1]);
    expect(second.run).not.toHaveProperty('elevationLossM');
    expect(second.run).not.toHaveProperty('perceivedExertion');
    expect(second.run).not.toHaveProperty('avgHr');
    expect(second.warnings).toEqual([
      'elevation loss -40 m is out of range: left out',
      'average heart rate 0 is out of range: left out',
      'perceived exertion 15 is out of range: left out',
    ]);
  });

  it('still rejects a row without an id or, with no file, without a readable date', () => {
    const [activity] = parseActivitiesCsv(csv(row(1, 'someday', 'Run', '5.00', '5000.0')));
    expect(mapExportActivity(activity, undefined)).toMatchObject({ status: 'rejected', reason: 'cannot read the date "someday"' });
    expect(mapExportActivity({ ...activity, activityId: '' }, undefined)).toMatchObject({
      status: 'rejected',
      reason: 'the row has no Activity ID',
    });
  });
});
