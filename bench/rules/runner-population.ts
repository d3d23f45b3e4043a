import { DateTime } from 'luxon';
import { seededRandom } from '../../libs/rules/test/synthetic-log';

/**
 * A generated population of everyday runners for the alert-email budget (bench/rules/alert-email-budget.ts),
 * as replay NDJSON. It is made to look like a Strava bulk export of a recreational runner, not like a
 * training plan: nothing here is real data, and BENCHMARKS.md says so.
 *
 * Each runner has their own zone, habits (2–6 runs a week, on preferred days), volume, pace, cadence
 * (or no cadence sensor; a shorter stride in tired weeks), terrain and shoe habits. Week by week their training wanders: volume drifts
 * with the seasons and noise, long runs vary by ±15 % and sometimes turn into an adventure, races
 * (5 km to marathon) come with a build of their long run and a taper, a cut-back week every few
 * weeks of a build, holidays (no running, or a hilly week away), a week of illness, and now and then
 * a break of one to three months followed by a return (some come back too fast). Some runners report
 * pain after runs: mostly "no pain", sometimes a niggle, and once or twice a year an episode where the
 * pain comes on earlier run after run.
 */

const ZONES = [
  'Europe/Oslo',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Europe/Berlin',
];
const PAIN_PLACES = ['lateral_knee', 'lateral_knee', 'knee', 'hip', 'shin', 'calf'] as const;
const RACES = [
  { km: 5, buildWeeks: 0, longRunKm: 0 },
  { km: 10, buildWeeks: 0, longRunKm: 0 },
  { km: 10, buildWeeks: 0, longRunKm: 0 },
  { km: 21.1, buildWeeks: 10, longRunKm: 18 },
  { km: 21.1, buildWeeks: 10, longRunKm: 18 },
  { km: 42.2, buildWeeks: 16, longRunKm: 31 },
] as const;

type Random = () => number;

interface Habits {
  athlete: string;
  timezone: string;
  runsPerWeek: number;
  /** Weekdays (0 = Monday) the runner usually runs on; the last one carries the long run. */
  days: number[];
  baseWeeklyKm: number;
  longShare: number;
  easyPaceS: number;
  /** Steps per minute at easy pace; null: no cadence sensor. */
  cadenceSpm: number | null;
  /** Metres of descent per km on an ordinary run; null: the watch records no elevation. */
  lossPerKmM: number | null;
  treadmillShare: number;
  /** 0: no shoes recorded; 1: one pair at a time; 2: a daily pair and a long-run/race pair. */
  shoePairs: 0 | 1 | 2;
  retireAtKm: number;
  /** Share of runs with a pain report ("no pain" or pain), for runners who answer check-ins. */
  reportsPain: number;
  painEpisodesPerYear: number;
  racesPerYear: number;
}

interface Week {
  /** Planned volume as a fraction of the runner's base. */
  volume: number;
  /** The long run's planned distance, km (0: the usual share of the week). */
  longRunKm: number;
  raceKm: number;
  /** Days of the week with no running (holiday, illness). */
  runs: number;
  hilly: boolean;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: Random, low: number, high: number) => low + random() * (high - low);
/** A roughly normal deviate (sum of uniforms). */
const gauss = (random: Random) => random() + random() + random() + random() - 2;

function habitsOf(index: number, random: Random): Habits {
  const runsPerWeek = pick(random, [2, 3, 3, 3, 4, 4, 4, 5, 5, 6]);
  const preferred = [
    [1, 3, 6],
    [1, 3, 5, 6],
    [0, 2, 4, 6],
    [1, 2, 4, 5, 6],
    [0, 1, 3, 4, 5, 6],
    [2, 6],
    [1, 4, 6],
  ];
  const days = preferred.filter((set) => set.length >= runsPerWeek)[0].slice(-runsPerWeek);
  const baseWeeklyKm = Math.max(8, runsPerWeek * between(random, 4, 11));
  return {
    athlete: `runner-${index}`,
    timezone: ZONES[index % ZONES.length],
    runsPerWeek,
    days:
      runsPerWeek === 2
        ? pick(random, [
            [2, 6],
            [1, 5],
            [3, 6],
          ])
        : days,
    baseWeeklyKm,
    // The long run is the longest of the week: at least 30 % more than an even share.
    longShare: Math.min(0.6, Math.max(1.3 / runsPerWeek, between(random, 0.28, 0.4))),
    easyPaceS: between(random, 300, 420),
    cadenceSpm: random() < 0.75 ? between(random, 158, 178) : null,
    lossPerKmM: random() < 0.9 ? Math.exp(between(random, Math.log(2), Math.log(22))) : null,
    treadmillShare: random() < 0.25 ? between(random, 0.1, 0.5) : 0,
    shoePairs: random() < 0.25 ? 0 : random() < 0.6 ? 1 : 2,
    retireAtKm: between(random, 550, 1100),
    reportsPain: random() < 0.4 ? between(random, 0.2, 0.9) : 0,
    painEpisodesPerYear: between(random, 0.3, 2),
    racesPerYear: pick(random, [0, 0, 1, 1, 2, 2, 3, 4]),
  };
}

/** The plan of every week: seasons, races with their build and taper, cut-backs, holidays, illness, breaks and returns. */
function planWeeks(habits: Habits, weeks: number, startWeekOfYear: number, random: Random): Week[] {
  const plan: Week[] = [];
  const usualLong = habits.baseWeeklyKm * habits.longShare;
  let week = 0;
  let returning = 0;
  let returnStep = 0.1;
  const push = (entry: Partial<Week>) => {
    if (week >= weeks) return;
    const season = 1 + 0.12 * Math.sin(((startWeekOfYear + week) / 52) * 2 * Math.PI - 1.5);
    const ramp = returning > 0 ? Math.max(0.35, 1 - returning * returnStep) : 1;
    if (returning > 0) returning -= 1;
    plan.push({
      volume: season * ramp * Math.exp(gauss(random) * 0.1),
      longRunKm: 0,
      raceKm: 0,
      runs: habits.runsPerWeek,
      hilly: false,
      ...entry,
    });
    week += 1;
  };
  const raceChance = (habits.racesPerYear / 52) * 0.8;
  while (week < weeks) {
    const roll = random();
    if (roll < raceChance) {
      const race = pick(random, RACES);
      if (race.buildWeeks && race.longRunKm > usualLong * 1.15) {
        // A build: the long run climbs from the usual to the race's longest, with a cut-back week every 3–4 weeks.
        const steps = race.buildWeeks - 2;
        for (let step = 0; step < steps; step++) {
          const cutBack = step % pick(random, [3, 4]) === 2;
          const longRunKm = usualLong + ((race.longRunKm - usualLong) * (step + 1)) / steps;
          push({ volume: (1 + (0.35 * (step + 1)) / steps) * (cutBack ? 0.7 : 1), longRunKm: longRunKm * (cutBack ? 0.7 : 1) });
        }
        push({ volume: 0.75, longRunKm: race.longRunKm * 0.6 });
      }
      push({ volume: 0.6, raceKm: race.km, longRunKm: 0 });
      if (race.km > 15) push({ volume: 0.4, runs: Math.max(1, habits.runsPerWeek - 2) });
    } else if (roll < raceChance + 0.05) {
      // A holiday of one or two weeks: no running, a little running, or a hilly week away.
      const kind = random();
      const length = random() < 0.6 ? 1 : 2;
      for (let day = 0; day < length; day++)
        push(
          kind < 0.4
            ? { runs: 0 }
            : kind < 0.75
              ? { runs: Math.max(1, habits.runsPerWeek - 2), volume: 0.6 }
              : { hilly: true, volume: 0.9 },
        );
    } else if (roll < raceChance + 0.09) {
      push({ runs: random() < 0.5 ? 0 : 1, volume: 0.4 });
    } else if (roll < raceChance + 0.097) {
      // A break (injury, work, a new baby) of 5–14 weeks, then a return that some take too fast.
      const length = 5 + Math.floor(random() * 10);
      for (let day = 0; day < length; day++) push({ runs: 0 });
      returning = 4 + Math.floor(random() * 6);
      returnStep = random() < 0.3 ? 0.06 : 0.12;
    } else {
      push({ longRunKm: random() < 0.03 ? usualLong * between(random, 1.3, 1.7) : 0 });
    }
  }
  return plan;
}

/** Replay lines for one runner from `startDate` (a Monday) for `weeks` weeks. */
export function* populationRunner(index: number, seed: number, startDate: string, weeks: number): Generator<string> {
  const random = seededRandom(seed * 7919 + index + 1);
  const habits = habitsOf(index, random);
  const { athlete, timezone } = habits;
  const start = DateTime.fromISO(startDate, { zone: timezone });
  yield JSON.stringify({ type: 'athlete', athlete, timezone });
  const plan = planWeeks(habits, weeks, start.weekNumber, random);
  const shoes = { daily: 0, dailyKm: 0, special: 0, specialKm: 0, next: 0 };
  const newShoe = function* (): Generator<string, string> {
    shoes.next += 1;
    const id = `s${shoes.next}`;
    yield JSON.stringify({ type: 'shoe', athlete, id, name: `Shoe ${shoes.next}`, distance_m: 0 });
    return id;
  };
  let dailyShoe: string | null = null;
  let specialShoe: string | null = null;
  let painEpisode: { place: string; onsetKm: number; runsLeft: number } | null = null;
  let runNumber = 0;
  let tiredWeeks = 0;
  for (let weekIndex = 0; weekIndex < plan.length; weekIndex++) {
    const week = plan[weekIndex];
    if (week.runs === 0) continue;
    // Tired or sore legs shorten the stride for a week or two now and then (after a long race, when
    // something hurts, or for no clear reason): the step rate drops by 4–7 % at the same pace.
    if (tiredWeeks > 0) tiredWeeks -= 1;
    else if (random() < 0.02 || (painEpisode && random() < 0.3) || (plan[weekIndex - 1]?.raceKm ?? 0) > 15)
      tiredWeeks = 1 + Math.floor(random() * 2);
    const strideDip = tiredWeeks > 0 ? between(random, 0.04, 0.07) : 0;
    const days = chooseDays(habits, week, random);
    const longDay = days[days.length - 1];
    const weeklyKm = habits.baseWeeklyKm * week.volume;
    const longKm = week.longRunKm || weeklyKm * habits.longShare;
    // A skipped run is lost, not spread over the others; an extra run is an ordinary easy one.
    const plannedRuns = Math.min(week.runs, habits.runsPerWeek);
    const easyKm = plannedRuns > 1 ? Math.max(3, (weeklyKm - longKm) / (plannedRuns - 1)) : weeklyKm;
    for (const weekday of days) {
      const isRace = week.raceKm > 0 && weekday === longDay;
      const isLong = !isRace && weekday === longDay && days.length > 1;
      const workout = !isLong && !isRace && random() < 0.2;
      let km = isRace
        ? week.raceKm * between(random, 1.0, 1.03)
        : isLong
          ? longKm * Math.exp(gauss(random) * 0.1)
          : easyKm * Math.exp(gauss(random) * 0.15) * (workout ? 0.85 : 1);
      km = Math.max(2.5, Math.round(km * 100) / 100);
      const treadmill = !isRace && !isLong && random() < habits.treadmillShare;
      const paceS = habits.easyPaceS * (isRace ? 0.85 : workout ? 0.9 : isLong ? 1.04 : 1) * (1 + gauss(random) * 0.03);
      const terrain = week.hilly
        ? between(random, 2.5, 5)
        : isLong && random() < 0.15
          ? between(random, 1.5, 3)
          : Math.exp(gauss(random) * 0.35);
      const lossPerKm = treadmill || habits.lossPerKmM === null ? null : habits.lossPerKmM * terrain;
      const cadence =
        habits.cadenceSpm === null
          ? null
          : (habits.cadenceSpm + (habits.easyPaceS - paceS) / 6 + gauss(random) * 2.5 - (isLong && km > 20 ? 2 : 0)) * (1 - strideDip);
      let shoe: string | undefined;
      if (habits.shoePairs > 0) {
        const special = habits.shoePairs === 2 && (isLong || isRace);
        if (special) {
          if (!specialShoe || shoes.specialKm > habits.retireAtKm * between(random, 0.95, 1.05)) {
            specialShoe = yield* newShoe();
            shoes.specialKm = 0;
          }
          shoes.specialKm += km;
          shoe = specialShoe;
        } else {
          if (!dailyShoe || shoes.dailyKm > habits.retireAtKm * between(random, 0.95, 1.05)) {
            dailyShoe = yield* newShoe();
            shoes.dailyKm = 0;
          }
          shoes.dailyKm += km;
          shoe = dailyShoe;
        }
      }
      runNumber += 1;
      const id = `r${runNumber}`;
      const time = start
        .plus({ days: weekIndex * 7 + weekday })
        .set({ hour: isRace ? 9 : 6 + Math.floor(random() * 13), minute: Math.floor(random() * 60) });
      yield JSON.stringify({
        type: 'run',
        athlete,
        id,
        start: time.toISO({ suppressMilliseconds: true }),
        distance_m: Math.round(km * 1000),
        moving_s: Math.round(km * paceS),
        elapsed_s: Math.round(km * paceS * between(random, 1.01, 1.12)),
        ...(lossPerKm === null
          ? {}
          : { elevation_gain_m: Math.round(km * lossPerKm), elevation_loss_m: Math.round(km * lossPerKm * between(random, 0.85, 1.15)) }),
        ...(cadence === null ? {} : { cadence_spm: Math.round(cadence) }),
        ...(shoe ? { shoe } : {}),
      });
      if (habits.reportsPain > 0) {
        if (!painEpisode && random() < habits.painEpisodesPerYear / (52 * habits.runsPerWeek))
          painEpisode = {
            place: pick(random, PAIN_PLACES),
            onsetKm: Math.min(km * 0.8, between(random, 4, 9)),
            runsLeft: 2 + Math.floor(random() * 4),
          };
        if (painEpisode) {
          // The pain comes on earlier run after run, until the runner eases off or it settles.
          yield JSON.stringify({
            type: 'pain',
            athlete,
            run: id,
            location: painEpisode.place,
            onset_m: Math.round(Math.min(painEpisode.onsetKm, km * 0.9) * 1000),
            severity: 3 + Math.floor(random() * 4),
          });
          painEpisode.onsetKm *= between(random, 0.6, 0.95);
          painEpisode.runsLeft -= 1;
          if (painEpisode.runsLeft === 0) painEpisode = null;
        } else if (random() < habits.reportsPain) {
          const niggle = random() < 0.04;
          yield JSON.stringify(
            niggle
              ? {
                  type: 'pain',
                  athlete,
                  run: id,
                  location: pick(random, PAIN_PLACES),
                  onset_m: Math.round(km * between(random, 0.5, 0.9) * 1000),
                  severity: 2,
                }
              : { type: 'pain', athlete, run: id, severity: 0, has_pain: false },
          );
        }
      }
    }
  }
}

/** The week's run days: the usual ones, minus a skipped day now and then, plus an occasional extra. */
function chooseDays(habits: Habits, week: Week, random: Random): number[] {
  let days = habits.days.filter(() => random() > 0.1);
  if (random() < 0.06) days.push(Math.floor(random() * 7));
  days = [...new Set(days)].sort((a, b) => a - b);
  while (days.length > week.runs) days.splice(Math.floor(random() * (days.length - 1)), 1);
  if (!days.length) days = [habits.days[habits.days.length - 1]];
  return days;
}

export interface PopulationOptions {
  runners: number;
  seed: number;
}

/** The whole population: runners start between 2021 and 2023 and are followed for 1.5–4 years. */
export function* population({ runners, seed }: PopulationOptions): Generator<string> {
  const random = seededRandom(seed);
  for (let index = 0; index < runners; index++) {
    const start = DateTime.fromISO('2021-01-04', { zone: 'UTC' }).plus({ weeks: Math.floor(random() * 150) });
    const weeks = 78 + Math.floor(random() * 130);
    yield* populationRunner(index, seed, start.toISODate()!, weeks);
  }
}
