import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { seededRandom } from '../../libs/rules/test/synthetic-log';

/**
 * Realistic replay logs for the benchmarks: each runner has their own zone, rhythm (3–6 runs a
 * week), volume, pace, cadence and terrain, with the events that make alerts (a build week now
 * and then, an occasional long-run jump, shoes run past 500 km, a pain episode or two a year).
 */
const ZONES = ['Europe/Oslo', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Tokyo', 'UTC', 'America/New_York'];
const RHYTHMS = [
  [0, 1, 0, 1, 0, 0, 1],
  [0, 1, 0, 1, 0, 1, 1],
  [1, 0, 1, 1, 0, 1, 1],
  [1, 1, 0, 1, 1, 1, 1],
];

export function* realisticRunner(index: number, startMonday: string, weeks: number): Generator<string> {
  const random = seededRandom(index + 1);
  const athlete = `runner-${index}`;
  const timezone = ZONES[index % ZONES.length];
  const rhythm = RHYTHMS[Math.floor(random() * RHYTHMS.length)];
  const weeklyKm = 20 + random() * 40;
  const pace = 270 + random() * 120;
  const cadence = 160 + random() * 20;
  const lossPerKm = 2 + random() * 13;
  yield JSON.stringify({ type: 'athlete', athlete, timezone });
  let shoe = 0;
  let shoeKm = Infinity;
  const start = DateTime.fromISO(startMonday, { zone: timezone });
  for (let week = 0; week < weeks; week++) {
    const build = random() < 0.08 ? 1.4 : 1 + (random() * 2 - 1) * 0.08;
    const runDays = rhythm.reduce((count, runs) => count + runs, 0);
    const painWeek = random() < 0.02;
    let painOnset = 7000;
    for (let weekday = 0; weekday < 7; weekday++) {
      if (!rhythm[weekday]) continue;
      const longRun = weekday === 6;
      const share = longRun ? 0.35 : 0.65 / (runDays - 1);
      const spike = longRun && random() < 0.04 ? 1.5 : 1;
      const km = Math.max(2, weeklyKm * build * share * spike * (1 + (random() * 2 - 1) * 0.05));
      if (shoeKm > 650 + random() * 250) {
        shoe += 1;
        shoeKm = random() < 0.3 ? 200 : 0;
        yield JSON.stringify({ type: 'shoe', athlete, id: `s${shoe}`, name: `Shoe ${shoe}`, distance_m: shoeKm * 1000 });
      }
      shoeKm += km;
      const startTime = start.plus({ days: week * 7 + weekday, hours: 6 + Math.floor(random() * 12), minutes: Math.floor(random() * 60) });
      const id = `r${week}-${weekday}`;
      yield JSON.stringify({
        type: 'run',
        athlete,
        id,
        start: startTime.toISO({ suppressMilliseconds: true }),
        distance_m: Math.round(km * 1000),
        moving_s: Math.round(km * pace * (1 + (random() * 2 - 1) * 0.05)),
        elapsed_s: Math.round(km * pace * 1.05),
        elevation_gain_m: Math.round(km * lossPerKm),
        elevation_loss_m: Math.round(km * lossPerKm * (1 + (random() * 2 - 1) * 0.2)),
        cadence_spm: Math.round(cadence + (random() * 2 - 1) * 3),
        avg_hr: Math.round(140 + random() * 20),
        shoe: `s${shoe}`,
      });
      if (painWeek) {
        yield JSON.stringify({ type: 'pain', athlete, run: id, location: 'lateral_knee', onset_m: painOnset, severity: 4 });
        painOnset *= 0.75;
      }
    }
  }
}

/** The whole log for `runners` runners over `weeks` weeks from Monday 2024-01-01. */
export function* realisticLog(runners: number, weeks: number): Generator<string> {
  for (let index = 0; index < runners; index++) yield* realisticRunner(index, '2024-01-01', weeks);
}

/**
 * The log written to $TMPDIR/deload-bench-<runners>x<weeks>.ndjson, once (later benches reuse the
 * file, so the in-process and CLI benches replay the same bytes). Written under another name first.
 */
export async function realisticLogFile(runners: number, weeks: number): Promise<string> {
  const path = join(tmpdir(), `deload-bench-${runners}x${weeks}.ndjson`);
  if (existsSync(path)) return path;
  const partial = `${path}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  for (const line of realisticLog(runners, weeks)) if (!out.write(`${line}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  renameSync(partial, path);
  return path;
}
