import { DateTime } from 'luxon';
import type { PainLocation } from '@deload/domain';

/**
 * The demo's four runners, as data: who they are, what they ran and what they reported. Pure, and
 * deterministic for a given anchor day, so `deload demo` run twice writes identical files.
 */
export type DemoStory = 'steady' | 'long-run-spike' | 'pain-earlier' | 'worn-shoes';

export interface DemoRun {
  /** Stable per runner and day: the FIT file's serial number is derived from it. */
  key: string;
  start: Date;
  utcOffsetS: number;
  distanceM: number;
  durationS: number;
  /** FIT running cadence, strides per minute. */
  cadence: number;
  heartRate: number;
  /** Name of the shoe worn (only the worn-shoes runner's runs name one). */
  shoe?: string;
}

export interface DemoPain {
  /** Key of the run the report is about. */
  runKey: string;
  location: PainLocation;
  side: 'left' | 'right';
  onsetM: number;
  severity: number;
}

export interface DemoRunner {
  story: DemoStory;
  name: string;
  email: string;
  timezone: string;
  runs: DemoRun[];
  pains: DemoPain[];
}

export interface DemoCoach {
  name: string;
  email: string;
  team: string;
}

export const DEMO_COACH: DemoCoach = { name: 'Coach Kari', email: 'coach@demo.deload.test', team: 'Tuesday Night Runners' };
const TIMEZONE = 'Europe/Oslo';

/** A week of ordinary training: easy runs and one long run on Sunday, rest days between. */
const WEEK: readonly { weekday: number; km: number }[] = [
  { weekday: 2, km: 8 },
  { weekday: 4, km: 10 },
  { weekday: 6, km: 6 },
  { weekday: 7, km: 15 },
];

/** Small, repeatable variation (±3 %) so weeks are alike without being identical. */
function wobble(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return 1 + (x - Math.floor(x) - 0.5) * 0.06;
}

/**
 * A run at 07:xx local on `day`; on the demo's own day it starts early enough to be over when the
 * demo runs (`until`), or at midnight when the day is younger than the run.
 */
function run(runnerIndex: number, day: DateTime, km: number, paceSPerKm: number, until: DateTime, shoe?: string): DemoRun {
  const distanceM = Math.round(km * 1000);
  const durationS = Math.round((distanceM / 1000) * paceSPerKm);
  const usual = day.set({ hour: 7, minute: 10 + runnerIndex * 7 });
  const latest = until.minus({ seconds: durationS });
  const start = usual <= latest ? usual : DateTime.max(latest, day.startOf('day'));
  return {
    key: `${runnerIndex}-${day.toISODate()}`,
    start: start.toUTC().toJSDate(),
    utcOffsetS: start.offset * 60,
    distanceM,
    durationS,
    cadence: 86,
    heartRate: 146,
    shoe,
  };
}

/**
 * Ordinary training on the `weeks` weeks ending with `lastDay` (including it), as a runner's log
 * would have it: the weekly pattern carries on into the current week.
 */
function ordinaryWeeks(runnerIndex: number, lastDay: DateTime, weeks: number, until: DateTime, shoe?: string): DemoRun[] {
  const runs: DemoRun[] = [];
  const firstDay = lastDay.minus({ weeks }).plus({ days: 1 });
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 })) {
    const planned = WEEK.find(({ weekday }) => weekday === day.weekday);
    if (!planned) continue;
    const week = Math.floor(day.diff(firstDay, 'weeks').weeks);
    runs.push(run(runnerIndex, day, planned.km * wobble(runnerIndex * 1000 + week * 10 + planned.weekday), 330, until, shoe));
  }
  return runs;
}

/**
 * The four demo runners as of `anchor` (the instant the demo first ran): their histories end on
 * that day in each runner's time zone, with the day's run already done, so the figures and the
 * alerts are current when the demo runs — a steady runner looks steady.
 */
export function demoRunners(anchor: Date): DemoRunner[] {
  const runner = (
    story: DemoStory,
    name: string,
    local: string,
    runsOf: (today: DateTime, until: DateTime) => DemoRun[],
    pains: (runs: DemoRun[]) => DemoPain[] = () => [],
  ): DemoRunner => {
    const until = DateTime.fromJSDate(anchor, { zone: TIMEZONE });
    const runs = runsOf(until.startOf('day'), until);
    return { story, name, email: `${local}@demo.deload.test`, timezone: TIMEZONE, runs, pains: pains(runs) };
  };

  return [
    runner('steady', 'Sam Steady', 'sam', (today, until) => ordinaryWeeks(0, today, 12, until)),
    // Twelve ordinary weeks (the team view's sparkline draws 12), three easy days, then today a
    // 23 km run: half again as long as anything in the 30 days before, in an otherwise ordinary week
    // (so it is the one run, not the week, that spikes).
    runner('long-run-spike', 'Lea Longrun', 'lea', (today, until) => [
      ...ordinaryWeeks(1, today.minus({ days: 4 }), 12, until),
      run(1, today, 23, 345, until),
    ]),
    // Ordinary weeks, then three runs in a row with knee pain coming on earlier each time, the last today.
    runner(
      'pain-earlier',
      'Ola Knee',
      'ola',
      (today, until) => [
        ...ordinaryWeeks(2, today.minus({ days: 6 }), 12, until),
        run(2, today.minus({ days: 4 }), 10, 335, until),
        run(2, today.minus({ days: 2 }), 8, 335, until),
        run(2, today, 8, 340, until),
      ],
      (runs) =>
        runs.slice(-3).map((painfulRun, index) => ({
          runKey: painfulRun.key,
          location: 'lateral_knee' as const,
          side: 'left' as const,
          onsetM: [6_500, 5_000, 3_500][index],
          severity: [3, 4, 5][index],
        })),
    ),
    // Twenty-two ordinary weeks, all in one pair: about 860 km on it.
    runner('worn-shoes', 'Mia Miles', 'mia', (today, until) => ordinaryWeeks(3, today, 22, until, 'Pegasus 40')),
  ];
}
