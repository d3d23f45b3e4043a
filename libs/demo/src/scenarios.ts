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

function run(runnerIndex: number, day: DateTime, km: number, paceSPerKm: number, shoe?: string): DemoRun {
  const start = day.set({ hour: 7, minute: 10 + runnerIndex * 7 });
  const distanceM = Math.round(km * 1000);
  return {
    key: `${runnerIndex}-${start.toISODate()}`,
    start: start.toUTC().toJSDate(),
    utcOffsetS: start.offset * 60,
    distanceM,
    durationS: Math.round((distanceM / 1000) * paceSPerKm),
    cadence: 86,
    heartRate: 146,
    shoe,
  };
}

/**
 * Ordinary training on the days before `lastDay` (not including it), going back `weeks` weeks:
 * the weekly pattern carries on into the current week, as a runner's log would.
 */
function ordinaryWeeks(runnerIndex: number, lastDay: DateTime, weeks: number, shoe?: string): DemoRun[] {
  const runs: DemoRun[] = [];
  for (let day = lastDay.minus({ weeks }); day < lastDay; day = day.plus({ days: 1 })) {
    const planned = WEEK.find(({ weekday }) => weekday === day.weekday);
    if (!planned) continue;
    const week = Math.floor(day.diff(lastDay.minus({ weeks }), 'weeks').weeks);
    runs.push(run(runnerIndex, day, planned.km * wobble(runnerIndex * 1000 + week * 10 + planned.weekday), 330, shoe));
  }
  return runs;
}

/**
 * The four demo runners as of `anchorDay` (a local date, YYYY-MM-DD): their last runs fall in the
 * days before it, so the alerts are current when the demo runs.
 */
export function demoRunners(anchorDay: string): DemoRunner[] {
  const anchor = DateTime.fromISO(anchorDay, { zone: TIMEZONE }).startOf('day');
  const runner = (story: DemoStory, name: string, local: string, runs: DemoRun[], pains: DemoPain[] = []): DemoRunner => ({
    story,
    name,
    email: `${local}@demo.deload.test`,
    timezone: TIMEZONE,
    runs,
    pains,
  });

  const steady = ordinaryWeeks(0, anchor, 10);

  // Ten ordinary weeks, three easy days, then a 23 km run: half again as long as anything in the
  // 30 days before, in an otherwise ordinary week (so it is the one run, not the week, that spikes).
  const spikeDay = anchor.minus({ days: 2 });
  const spike = [...ordinaryWeeks(1, spikeDay.minus({ days: 3 }), 10), run(1, spikeDay, 23, 345)];

  // Ordinary weeks, then three runs in a row with knee pain coming on earlier each time.
  const painRuns = ordinaryWeeks(2, anchor.minus({ days: 8 }), 10);
  const lastPainDay = anchor.minus({ days: 3 });
  const painful = [
    run(2, lastPainDay.minus({ days: 4 }), 10, 335),
    run(2, lastPainDay.minus({ days: 2 }), 8, 335),
    run(2, lastPainDay, 8, 340),
  ];
  const pains = painful.map((painfulRun, index) => ({
    runKey: painfulRun.key,
    location: 'lateral_knee' as const,
    side: 'left' as const,
    onsetM: [6_500, 5_000, 3_500][index],
    severity: [3, 4, 5][index],
  }));

  // Twenty-two ordinary weeks, all in one pair: about 860 km on it.
  const worn = ordinaryWeeks(3, anchor, 22, 'Pegasus 40');

  return [
    runner('steady', 'Sam Steady', 'sam', steady),
    runner('long-run-spike', 'Lea Longrun', 'lea', spike),
    runner('pain-earlier', 'Ola Knee', 'ola', [...painRuns, ...painful], pains),
    runner('worn-shoes', 'Mia Miles', 'mia', worn),
  ];
}
