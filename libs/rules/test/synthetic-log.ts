import { DateTime } from 'luxon';

/** Builders of replay lines (DESIGN.md → Replay format) for tests and benchmarks. */
export type Line = Record<string, unknown>;

/** A small deterministic PRNG (mulberry32), so generated logs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "2025-03-02T07:10:00+01:00": local wall-clock time in `timezone` with its offset. */
export function localStart(date: string, timezone: string, time = '07:00'): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: timezone }).toISO({ suppressMilliseconds: true })!;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

export interface RunOptions {
  athlete?: string;
  timezone?: string;
  time?: string;
  shoe?: string;
  paceSPerKm?: number;
  cadenceSpm?: number;
  lossPerKmM?: number;
}

export function runLine(id: string, date: string, km: number, options: RunOptions = {}): Line {
  const pace = options.paceSPerKm ?? 330;
  const distance = Math.round(km * 1000);
  const loss = Math.round(km * (options.lossPerKmM ?? 6));
  return {
    type: 'run',
    athlete: options.athlete ?? 'me',
    id,
    start: localStart(date, options.timezone ?? 'UTC', options.time),
    distance_m: distance,
    moving_s: Math.round(km * pace),
    elapsed_s: Math.round(km * pace) + 60,
    elevation_gain_m: loss,
    elevation_loss_m: loss,
    cadence_spm: options.cadenceSpm ?? 170,
    avg_hr: 145,
    ...(options.shoe ? { shoe: options.shoe } : {}),
  };
}

export interface SteadyOptions {
  athlete: string;
  timezone: string;
  /** A Monday, YYYY-MM-DD. */
  start: string;
  weeks: number;
  seed: number;
  /** Kilometres per weekday, Monday first; 0 is a rest day. */
  weeklyPattern?: number[];
  /** Relative day-to-day variation of distance (0.05 = ±5 %). */
  variation?: number;
  /** A new pair of shoes every this many km (two pairs in rotation). */
  newShoesEveryKm?: number;
}

const ORDINARY_WEEK = [0, 8, 10, 0, 8, 0, 14];

/**
 * Ordinary steady training: the same weekly rhythm with small random variation, rest days, a
 * stable long run, two pairs of shoes in rotation replaced before they wear out.
 */
export function steadyTraining(options: SteadyOptions): Line[] {
  const random = seededRandom(options.seed);
  const pattern = options.weeklyPattern ?? ORDINARY_WEEK;
  const variation = options.variation ?? 0.04;
  const lines: Line[] = [{ type: 'athlete', athlete: options.athlete, timezone: options.timezone }];
  const shoes = { pair: 0, kmOnPair: 0 };
  const newPair = () => {
    shoes.pair += 1;
    shoes.kmOnPair = 0;
    for (const side of ['a', 'b'])
      lines.push({
        type: 'shoe',
        athlete: options.athlete,
        id: `${options.athlete}-s${shoes.pair}${side}`,
        name: `Pair ${shoes.pair}${side}`,
        distance_m: 0,
      });
  };
  newPair();
  for (let day = 0; day < options.weeks * 7; day++) {
    const planned = pattern[day % 7];
    if (!planned) continue;
    const km = Math.round(planned * (1 + (random() * 2 - 1) * variation) * 100) / 100;
    if (shoes.kmOnPair > (options.newShoesEveryKm ?? 700)) newPair();
    shoes.kmOnPair += km / 2;
    const shoe = `${options.athlete}-s${shoes.pair}${day % 2 ? 'a' : 'b'}`;
    lines.push(
      runLine(`${options.athlete}-r${day}`, addDays(options.start, day), km, {
        athlete: options.athlete,
        timezone: options.timezone,
        time: `0${6 + Math.floor(random() * 3)}:${String(Math.floor(random() * 60)).padStart(2, '0')}`,
        shoe,
        paceSPerKm: 330 * (1 + (random() * 2 - 1) * 0.03),
        cadenceSpm: Math.round(170 + (random() * 2 - 1) * 2),
        lossPerKmM: 6 * (1 + (random() * 2 - 1) * 0.2),
      }),
    );
  }
  return lines;
}

export function ndjson(lines: Line[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
