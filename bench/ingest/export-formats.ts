/**
 * Export parsing throughput: rows (activities) per CPU-second for each CSV and JSON export
 * format, on generated exports the size of a long history, in one process (one core), each next
 * to the bare parse of the same bytes (csv-parse / JSON.parse) measured in the same run. Checks
 * its targets and exits non-zero on a miss.
 *
 *   node -r ./bench/support/register.js bench/ingest/export-formats.ts [--rows 20000] [--sessions 400] [--repeat 5]
 *
 * Targets, in CPU time (the machine is shared; wall time is printed too):
 * - a decade of daily activities (~4,000 rows) parses in under half a second: ≥ 8,000 rows per
 *   CPU-second for every CSV and summary format, and ≥ 50 Polar sessions (with their 1 Hz samples,
 *   ≈ 0.6 MB each) per CPU-second;
 * - reading, checking and mapping costs at most 5× the bare parse of the same file (2× for Polar,
 *   whose cost is JSON.parse of the samples), a ratio that load on the machine does not move.
 */
import { parseGarminConnectCsv } from '../../libs/ingest/src/formats/garmin-connect-csv';
import { parseGarminSummaries } from '../../libs/ingest/src/formats/garmin-connect-export';
import { parsePolarTrainingSession } from '../../libs/ingest/src/formats/polar-flow';
import { parse } from 'csv-parse/sync';
import { mapExportActivity, parseActivitiesCsv } from '../../libs/ingest/src/formats/strava-export-csv';
import { argument } from '../support/options';
import { runBench, Target } from '../support/targets';

const DAY_MS = 86_400_000;
const START = Date.UTC(2015, 0, 1, 6, 0, 0);
const SPORTS = ['Running', 'Running', 'Trail Running', 'Treadmill Running', 'Walking', 'Cycling', 'Strength Training'];
const pad = (value: number) => String(value).padStart(2, '0');
const clock = (seconds: number) =>
  `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(Math.floor(seconds % 60))}`;
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** An activity of the generated history: distance in km, time in seconds. */
function activity(i: number) {
  const km = 5 + (i % 17) * 0.9;
  const seconds = Math.round(km * (300 + (i % 7) * 12));
  return { sport: SPORTS[i % SPORTS.length], start: START + i * DAY_MS + (i % 5) * 3_600_000, km, seconds, cadence: 164 + (i % 12) };
}

function garminCsv(rows: number): Buffer {
  const header =
    'Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Aerobic TE,Avg Run Cadence,Max Run Cadence,Avg Pace,Best Pace,Total Ascent,Total Descent,Avg Stride Length,Moving Time,Elapsed Time';
  const lines = Array.from({ length: rows }, (_, i) => {
    const a = activity(i);
    const stride = ((a.km * 1000) / (a.cadence * (a.seconds / 60))).toFixed(2);
    return `${a.sport},${iso(a.start)},false,"Run ${i}","${a.km.toFixed(2)}","${600 + (i % 400)}","${clock(a.seconds)}","148","171","3.1","${a.cadence}","190","5:00","4:21","45","47","${stride}","${clock(a.seconds - 10)}","${clock(a.seconds + 60)}"`;
  });
  return Buffer.from(`${header}\n${lines.join('\n')}\n`);
}

function stravaCsv(rows: number): string {
  const header =
    'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Average Cadence,Average Heart Rate,Perceived Exertion';
  const lines = Array.from({ length: rows }, (_, i) => {
    const a = activity(i);
    const date = new Date(a.start).toLocaleString('en-US', {
      timeZone: 'UTC',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
    });
    const metres = i % 50 === 0 ? '' : (a.km * 1000).toFixed(1);
    return `${10_000 + i},"${date}",Run ${i},Run,"Easy, flat",${a.seconds},"${a.km.toFixed(2)}",170,40,false,,Pegasus 40,activities/${10_000 + i}.fit.gz,,,${a.seconds}.0,${a.seconds - 10}.0,${metres},4.1,3.3,12.0,-0.3,84.0,150.0,`;
  });
  return `${header}\n${lines.join('\n')}\n`;
}

function garminSummaries(rows: number): Buffer {
  const list = Array.from({ length: rows }, (_, i) => {
    const a = activity(i);
    return {
      activityId: 10_000_000 + i,
      name: `Run ${i}`,
      activityType: a.sport.toLowerCase().replace(/ /g, '_'),
      sportType: 'RUNNING',
      beginTimestamp: a.start,
      startTimeGmt: a.start,
      startTimeLocal: a.start + 7_200_000,
      duration: a.seconds * 1000,
      movingDuration: (a.seconds - 10) * 1000,
      elapsedDuration: (a.seconds + 60) * 1000,
      distance: a.km * 100_000,
      elevationGain: 4500,
      elevationLoss: 4700,
      avgHr: 148,
      maxHr: 171,
      avgRunCadence: a.cadence / 2,
      avgDoubleCadence: a.cadence,
      calories: 2700,
      hrTimeInZone_1: 120_000,
      hrTimeInZone_2: 900_000,
      deviceId: 3_442_378_999,
    };
  });
  return Buffer.from(JSON.stringify([{ summarizedActivitiesExport: list }]));
}

/** A Polar session with 1 Hz heart-rate and route samples, as the account export writes them. */
function polarSession(i: number): Buffer {
  const a = activity(i);
  const local = (offsetS: number) => new Date(a.start + 7_200_000 + offsetS * 1000).toISOString().slice(0, 23);
  const samples = Array.from({ length: a.seconds }, (_, s) => s);
  return Buffer.from(
    JSON.stringify({
      exportVersion: '1.6',
      name: 'Running',
      startTime: local(0),
      stopTime: local(a.seconds),
      timeZoneOffset: 120,
      distance: a.km * 1000,
      duration: `PT${a.seconds}.000S`,
      kiloCalories: 650,
      exercises: [
        {
          startTime: local(0),
          timezoneOffset: 120,
          duration: `PT${a.seconds}.000S`,
          distance: a.km * 1000,
          sport: 'RUNNING',
          ascent: 45,
          descent: 47,
          heartRate: { min: 92, avg: 148, max: 171 },
          cadence: { avg: a.cadence / 2, max: 95 },
          samples: {
            heartRate: samples.map((s) => ({ dateTime: local(s), value: 120 + (s % 40) })),
            recordedRoute: samples.map((s) => ({
              dateTime: local(s),
              latitude: 60.17 + s * 1e-5,
              longitude: 24.94,
              altitude: 12 + (s % 20),
            })),
          },
        },
      ],
    }),
  );
}

interface Measure {
  label: string;
  unit: string;
  items: number;
  bytes: number;
  /** Items per CPU-second at least. */
  target: number;
  /** The bare parse of the same bytes, and how many times its cost ours may be. */
  bare: () => unknown;
  maxRatio: number;
  run: () => number;
}

/** Median CPU and wall seconds of `repeat` runs of `work`, and its last result. */
function measure<T>(repeat: number, work: () => T): { cpu: number; wall: number; result: T } {
  const cpu: number[] = [];
  const wall: number[] = [];
  let result!: T;
  for (let attempt = 0; attempt < repeat; attempt++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    result = work();
    wall.push((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1e6);
  }
  return { cpu: median(cpu), wall: median(wall), result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): Target[] {
  const rows = argument('rows', 20_000);
  const sessions = argument('sessions', 400);
  const repeat = argument('repeat', 5);
  const csv = garminCsv(rows);
  const strava = stravaCsv(rows);
  const summaries = garminSummaries(rows);
  const polar = Array.from({ length: sessions }, (_, i) => polarSession(i));
  const accepted = (entries: { status: string }[]) => entries.filter((entry) => entry.status === 'parsed').length;
  const measures: Measure[] = [
    {
      label: 'Garmin Connect CSV',
      unit: 'rows',
      items: rows,
      bytes: csv.length,
      target: 8_000,
      bare: () => parse(csv.toString('utf8'), { relax_column_count: true, skip_empty_lines: true, trim: true }),
      maxRatio: 5,
      run: () => accepted(parseGarminConnectCsv(csv, { timeZone: 'Europe/Oslo' }).entries),
    },
    {
      label: 'Strava activities.csv (rows only, no files)',
      unit: 'rows',
      items: rows,
      bytes: Buffer.byteLength(strava),
      target: 8_000,
      bare: () =>
        parse(strava, { bom: true, columns: true, group_columns_by_name: true, skip_empty_lines: true, relax_column_count: true }),
      maxRatio: 5,
      run: () => accepted(parseActivitiesCsv(strava).map((row) => mapExportActivity(row, undefined))),
    },
    {
      label: 'Garmin summarizedActivities.json',
      unit: 'rows',
      items: rows,
      bytes: summaries.length,
      target: 8_000,
      bare: () => JSON.parse(summaries.toString('utf8')),
      maxRatio: 5,
      run: () => accepted(parseGarminSummaries(summaries).entries),
    },
    {
      label: 'Polar training-session JSON (1 Hz samples)',
      unit: 'sessions',
      items: sessions,
      bytes: polar.reduce((sum, file) => sum + file.length, 0),
      target: 50,
      bare: () => polar.reduce((count, file) => count + (JSON.parse(file.toString('utf8')) ? 1 : 0), 0),
      maxRatio: 2,
      run: () => polar.reduce((sum, file, i) => sum + accepted(parsePolarTrainingSession(file, `training-session-${i}.json`).entries), 0),
    },
  ];
  const targets: Target[] = [];
  for (const item of measures) {
    // Interleaved, so both see the same machine state.
    const bare = measure(repeat, item.bare);
    const ours = measure(repeat, item.run);
    const rate = item.items / ours.cpu;
    const ratio = ours.cpu / bare.cpu;
    const ok = rate >= item.target && ratio <= item.maxRatio;
    targets.push(
      { measure: `${item.label}: ${item.unit} per CPU-second`, value: Math.round(rate), unit: `${item.unit}/s`, atLeast: item.target },
      { measure: `${item.label}: CPU next to a bare parse`, value: +ratio.toFixed(2), unit: '×', atMost: item.maxRatio },
    );
    console.log(
      `${item.label}: ${item.items.toLocaleString('en')} ${item.unit} (${(item.bytes / 1e6).toFixed(1)} MB, ${ours.result.toLocaleString('en')} runs) ` +
        `in ${Math.round(ours.cpu * 1000)} ms CPU, ${Math.round(ours.wall * 1000)} ms wall (medians of ${repeat}) → ` +
        `${Math.round(rate).toLocaleString('en')} ${item.unit} per CPU-second, ${(item.bytes / 1e6 / ours.cpu).toFixed(1)} MB per CPU-second; ` +
        `bare parse ${Math.round(bare.cpu * 1000)} ms CPU → ${ratio.toFixed(1)}× — targets ≥ ${item.target.toLocaleString('en')} ${item.unit}/s and ≤ ${item.maxRatio}× ${ok ? 'met' : 'MISSED'}`,
    );
  }
  return targets;
}

runBench('ingest/export-formats', main);
