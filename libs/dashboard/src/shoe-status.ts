import type { Thresholds } from '@deload/rules';

export interface ShoeDistance {
  id: string;
  name: string;
  source: 'strava' | 'import' | 'manual';
  /** Total distance as far as we know, metres. */
  distanceM: number;
  retireThresholdM: number | null;
  retired: boolean;
}

/** ok; ageing: past the "start thinking about it" distance; worn: past the retire distance. */
export type ShoeState = 'ok' | 'ageing' | 'worn';

export interface ShoeStatus extends ShoeDistance {
  state: ShoeState;
  /** Where the worn-shoes rule says "retire": the shoe's own threshold, else the runner's. */
  limitM: number;
  /** Where it first mentions the shoe. */
  noticeM: number;
  /** distanceM ÷ limitM. */
  share: number;
}

export function shoeStatus(shoe: ShoeDistance, thresholds: Thresholds): ShoeStatus {
  const limitM = shoe.retireThresholdM ?? thresholds['worn-shoes'].warningM;
  const noticeM = Math.min(thresholds['worn-shoes'].infoM, limitM);
  const state: ShoeState = shoe.distanceM >= limitM ? 'worn' : shoe.distanceM >= noticeM ? 'ageing' : 'ok';
  return { ...shoe, limitM, noticeM, share: limitM > 0 ? shoe.distanceM / limitM : 0, state };
}

/** The shoe in use closest to (or furthest past) its limit; null when no shoe is in use. */
export function mostWornShoe(shoes: readonly ShoeDistance[], thresholds: Thresholds): ShoeStatus | null {
  return shoes
    .filter((shoe) => !shoe.retired)
    .map((shoe) => shoeStatus(shoe, thresholds))
    .reduce<ShoeStatus | null>((worst, shoe) => (!worst || shoe.share > worst.share ? shoe : worst), null);
}
