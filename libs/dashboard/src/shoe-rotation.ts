import { ROTATION_MIN_RUNS } from '@deload/rules';

/** Runs of the last 8 weeks in one shoe. */
export interface ShoeUseCount {
  shoeId: string;
  runs: number;
  distanceM: number;
}

export interface ShoeShare extends ShoeUseCount {
  /** Share of the runs with a shoe recorded, 0–1. */
  share: number;
}

/** How the runs of the last 8 weeks spread over the runner's shoes (the worn-shoes rule's rotation window). */
export interface ShoeRotation {
  /** Runs of the window with a shoe recorded. */
  runs: number;
  /** Pairs used at least once. */
  shoesUsed: number;
  /** Per shoe used, most runs first. */
  shares: ShoeShare[];
  /** One pair carried more than `rotationShare` of enough runs: where the worn-shoes rule suggests rotating. */
  concentrated: boolean;
}

/** Rotation from the runs per shoe; `rotationShare` is the runner's worn-shoes threshold (0.9 unless changed). */
export function shoeRotation(uses: readonly ShoeUseCount[], rotationShare: number): ShoeRotation {
  const used = uses.filter((use) => use.runs > 0);
  const runs = used.reduce((sum, use) => sum + use.runs, 0);
  const shares = used
    .map((use) => ({ ...use, share: use.runs / runs }))
    .sort((a, b) => b.runs - a.runs || b.distanceM - a.distanceM || a.shoeId.localeCompare(b.shoeId));
  const concentrated = runs >= ROTATION_MIN_RUNS && shares[0].share > rotationShare;
  return { runs, shoesUsed: shares.length, shares, concentrated };
}
