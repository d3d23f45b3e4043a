import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { encodeFitActivity } from '@deload/fit';
import type { DemoRun, DemoRunner } from './scenarios';

/** The FIT file a watch would have written for one demo run. */
export function demoFitFile(run: DemoRun): Uint8Array {
  return encodeFitActivity({
    start: run.start,
    utcOffsetS: run.utcOffsetS,
    distanceM: run.distanceM,
    durationS: run.durationS,
    cadence: run.cadence,
    heartRate: run.heartRate,
    serialNumber: serialNumberOf(run.key),
    recordEveryS: 5,
  });
}

/** A stable 9-digit number per run key (FIT serial number, export activity id). */
function serialNumberOf(key: string): number {
  let hash = 7;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) % 900_000_000;
  return 100_000_000 + hash;
}

/**
 * Writes what the runner would import and returns the path to hand to the importer: a folder of
 * FIT files, or — for a runner whose runs name a shoe — a Strava bulk-export folder
 * (activities.csv with the gear + activities/*.fit.gz), the way gear reaches Deload from files.
 */
export async function writeDemoImport(dir: string, runner: DemoRunner): Promise<string> {
  const folder = join(dir, runner.story);
  if (runner.runs.some((run) => run.shoe)) {
    await mkdir(join(folder, 'activities'), { recursive: true });
    const rows = runner.runs.map((run) => {
      const id = String(serialNumberOf(run.key));
      return {
        'Activity ID': id,
        'Activity Date': DateTime.fromJSDate(run.start, { zone: 'utc' }).setLocale('en-US').toFormat('LLL d, yyyy, h:mm:ss a'),
        'Activity Name': 'Morning Run',
        'Activity Type': 'Run',
        Distance: (run.distanceM / 1000).toFixed(2),
        'Activity Gear': run.shoe ?? '',
        Filename: `activities/${id}.fit.gz`,
      };
    });
    await Promise.all(rows.map((row, index) => writeFile(join(folder, row.Filename), gzipSync(demoFitFile(runner.runs[index])))));
    await writeFile(join(folder, 'activities.csv'), stringify(rows, { header: true }));
    return folder;
  }
  await mkdir(folder, { recursive: true });
  await Promise.all(runner.runs.map((run) => writeFile(join(folder, `${run.key}.fit`), demoFitFile(run))));
  return folder;
}
