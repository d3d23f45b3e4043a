import type { PainLocation } from '@deload/domain';

export interface LoggedPain {
  hasPain: boolean;
  location: PainLocation;
  onsetM: number | null;
  onsetS: number | null;
}

/** A run placed on its local day, with what the rules read from it. */
export interface LoggedRun {
  id: string;
  startMs: number;
  /** Local day number (calendar.ts). */
  day: number;
  distanceM: number;
  /** Moving time, else elapsed time; null when unknown. */
  durationS: number | null;
  elevationLossM: number | null;
  cadenceSpm: number | null;
  shoeId: string | null;
  pain: LoggedPain[];
}

/**
 * A runner's runs by local day, with prefix sums so every window sum is O(1). The service builds
 * one from the bounded window it loaded; the replay builds one from the whole file and asks only
 * about days up to the day it is replaying.
 */
export class TrainingLog {
  readonly runs: readonly LoggedRun[];
  private readonly firstDay: number;
  private readonly distance: Float64Array;
  private readonly elevationLoss: Float64Array;
  private readonly distanceWithoutElevation: Float64Array;
  private readonly runDays: Int32Array;
  /** Indexes (into runs) of runs with at least one pain report, ascending. */
  readonly painRunIndexes: readonly number[];
  private readonly memos = new WeakMap<object, unknown[]>();

  constructor(runs: readonly LoggedRun[]) {
    this.runs = [...runs].sort((a, b) => a.startMs - b.startMs);
    this.firstDay = this.runs.length ? this.runs[0].day : 0;
    const span = this.runs.length ? this.runs[this.runs.length - 1].day - this.firstDay + 1 : 0;
    this.distance = new Float64Array(span + 1);
    this.elevationLoss = new Float64Array(span + 1);
    this.distanceWithoutElevation = new Float64Array(span + 1);
    this.runDays = Int32Array.from(this.runs, (run) => run.day);
    this.fillPrefixSums(span);
    this.painRunIndexes = this.runs.flatMap((run, index) => (run.pain.length ? [index] : []));
  }

  private fillPrefixSums(span: number): void {
    for (const run of this.runs) {
      const slot = run.day - this.firstDay + 1;
      this.distance[slot] += run.distanceM;
      if (run.elevationLossM === null) this.distanceWithoutElevation[slot] += run.distanceM;
      else this.elevationLoss[slot] += run.elevationLossM;
    }
    for (let slot = 1; slot <= span; slot++) {
      this.distance[slot] += this.distance[slot - 1];
      this.elevationLoss[slot] += this.elevationLoss[slot - 1];
      this.distanceWithoutElevation[slot] += this.distanceWithoutElevation[slot - 1];
    }
  }

  /** Metres run on local days from..to (inclusive). */
  distanceBetween(from: number, to: number): number {
    return this.rangeSum(this.distance, from, to);
  }

  /** Metres of descent on days from..to. */
  elevationLossBetween(from: number, to: number): number {
    return this.rangeSum(this.elevationLoss, from, to);
  }

  /** Metres run on days from..to by runs that had no elevation data. */
  distanceWithoutElevationBetween(from: number, to: number): number {
    return this.rangeSum(this.distanceWithoutElevation, from, to);
  }

  /** Distance of each day from..to (rest days 0). */
  dailyDistances(from: number, to: number): number[] {
    const days: number[] = [];
    for (let day = from; day <= to; day++) days.push(this.distanceBetween(day, day));
    return days;
  }

  /** Index of the first run on or after `day` (runs.length when none). */
  firstIndexFrom(day: number): number {
    let low = 0;
    let high = this.runDays.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.runDays[middle] < day) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** [start, end) indexes of the runs on days from..to. */
  indexRange(from: number, to: number): [number, number] {
    return [this.firstIndexFrom(from), this.firstIndexFrom(to + 1)];
  }

  /**
   * Caches a value computed from this log, per owner (a rule's settings object) and run index (0 to
   * runs.length), so the replay does not recompute a run's verdict on each of the days it stays relevant.
   */
  memo<T, A>(owner: object, key: number, compute: (argument: A, key: number) => T, argument: A): T {
    let memos = this.memos.get(owner);
    if (!memos) this.memos.set(owner, (memos = new Array(this.runs.length + 1)));
    // compute takes its argument rather than closing over it: no closure made per call (the replay makes ~10⁶ calls).
    return (memos[key] ??= compute(argument, key)) as T;
  }

  private rangeSum(prefix: Float64Array, from: number, to: number): number {
    const last = prefix.length - 1;
    const high = to - this.firstDay + 1;
    const low = from - this.firstDay;
    return prefix[high < 0 ? 0 : high > last ? last : high] - prefix[low < 0 ? 0 : low > last ? last : low];
  }
}
