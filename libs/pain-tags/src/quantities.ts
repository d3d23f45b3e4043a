import { type DistanceUnit, fromUnit, METRES_PER_KM, METRES_PER_MILE } from '@deload/domain';

/**
 * How far into the run something happened: "6.5k", "3 mi", "km 5", "mile 3", "800m", "35min",
 * "35'", "1h10". A quantity is either a distance or a duration; `offset` is where it starts in
 * the text and `introduced` says whether a preposition ("at", "from", "@", "~"…) came before it.
 */
export interface Quantity {
  kind: 'distance' | 'duration';
  /** Metres or seconds. */
  value: number;
  offset: number;
  introduced: boolean;
}

const NUMBER = String.raw`(\d{1,3}(?:[.,]\d{1,2})?)`;
/** Longest alternatives first, so "min" is not read as "mi" and "kms" not as "k". */
const UNIT_AFTER = String.raw`(kilomet(?:er|re)s?|kms?|k|miles?|mi|met(?:er|re)s?|minutes?|mins?|m|hours?|hrs?|h|')`;
const UNIT_BEFORE = String.raw`(kilomet(?:er|re)|km|mile)`;
const PREPOSITION = String.raw`(?:@|~|≈|\bat|\bfrom|\bafter|\baround|\babout|\bby|\bsince|\bpast|\bnear|\bapprox\.?|\broughly)`;
/** Words after a number that make it the run's own distance ("10k race", "5k PR"), not an onset. */
const NOT_AN_ONSET_AFTER = String.raw`(?!\s*(?:run|race|pr|pb|jog|loop|tempo|easy|long|workout|recovery|reps?|repeats?|intervals?|x\b|\/|pace|split|warm|cool|wu|cd|steady|hills?|trail|parkrun|total))`;

const NOT_PART_OF_ANOTHER_NUMBER = String.raw`(?<![\d:.,x])`;
const HOURS_PATTERN = new RegExp(
  String.raw`(${PREPOSITION}\s*)?${NOT_PART_OF_ANOTHER_NUMBER}(\d{1,2})\s*(?:h|hrs?|hours?)\s*(\d{1,2})\s*(?:m|min|mins|minutes)?(?![a-z\d])`,
  'g',
);
const AFTER_PATTERN = new RegExp(
  String.raw`(${PREPOSITION}\s*)?${NOT_PART_OF_ANOTHER_NUMBER}${NUMBER}\s*${UNIT_AFTER}(?![a-z])${NOT_AN_ONSET_AFTER}`,
  'g',
);
const BEFORE_PATTERN = new RegExp(String.raw`(${PREPOSITION}\s*)?\b${UNIT_BEFORE}\s*${NUMBER}(?![\d.,]|\s*(?:k|km|mi|min|m)\b)`, 'g');
/** A number with no unit ends the phrase: "pain @ 5", "from 5 onwards". */
const BARE_PATTERN = new RegExp(
  String.raw`(${PREPOSITION}\s*)${NOT_PART_OF_ANOTHER_NUMBER}${NUMBER}(?=\s*(?:$|[,;)!?]|\.(?!\d)|(?:and|then|but|so|on|onwards|ish)\b))`,
  'g',
);

const MAX_DISTANCE_M = 250_000;
const MAX_DURATION_S = 24 * 3600;
/** "m" below this is minutes ("ITB 35m"), at or above it metres ("pain at 800m"). */
const METRES_OR_MINUTES_AT = 100;

function toNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

function fromUnitAfter(value: number, unit: string): Pick<Quantity, 'kind' | 'value'> {
  if (/^(k|kms?|kilomet)/.test(unit)) return { kind: 'distance', value: value * METRES_PER_KM };
  if (/^(mi$|mile)/.test(unit)) return { kind: 'distance', value: value * METRES_PER_MILE };
  if (/^met/.test(unit)) return { kind: 'distance', value };
  if (unit === 'm') return value >= METRES_OR_MINUTES_AT ? { kind: 'distance', value } : { kind: 'duration', value: value * 60 };
  if (/^(h|hrs?|hours?)$/.test(unit)) return { kind: 'duration', value: value * 3600 };
  return { kind: 'duration', value: value * 60 };
}

function plausible(quantity: Pick<Quantity, 'kind' | 'value'>): boolean {
  return quantity.value > 0 && quantity.value <= (quantity.kind === 'distance' ? MAX_DISTANCE_M : MAX_DURATION_S);
}

/** Every distance or duration in the text, in order of appearance. */
export function findQuantities(text: string, defaultUnit?: DistanceUnit): Quantity[] {
  const found: Quantity[] = [];
  const add = (match: RegExpExecArray, quantity: Pick<Quantity, 'kind' | 'value'>) => {
    if (!plausible(quantity)) return;
    const offset = match.index + (match[1]?.length ?? 0);
    if (found.some((known) => Math.abs(known.offset - offset) < 2)) return;
    found.push({ ...quantity, offset, introduced: !!match[1] });
  };
  for (const match of text.matchAll(HOURS_PATTERN))
    add(match, { kind: 'duration', value: Number(match[2]) * 3600 + Number(match[3]) * 60 });
  for (const match of text.matchAll(AFTER_PATTERN)) add(match, fromUnitAfter(toNumber(match[2]), match[3]));
  for (const match of text.matchAll(BEFORE_PATTERN)) add(match, fromUnitAfter(toNumber(match[3]), match[2]));
  if (defaultUnit) {
    for (const match of text.matchAll(BARE_PATTERN)) add(match, { kind: 'distance', value: fromUnit(toNumber(match[2]), defaultUnit) });
  }
  return found.sort((a, b) => a.offset - b.offset);
}

export interface OnsetOptions {
  defaultUnit?: DistanceUnit;
  /** Quantities without a preposition before this offset are not onsets ("easy 10k, knee hurt"). */
  bareFrom?: number;
}

/**
 * The onset: of each kind, the first quantity introduced by a preposition; failing that, the first
 * bare one from `bareFrom` on ("ITB 35min", "#pain 4km").
 */
export function findOnset(text: string, options: OnsetOptions = {}): { onsetM?: number; onsetS?: number; introduced: boolean } {
  const quantities = findQuantities(text, options.defaultUnit);
  const bareFrom = options.bareFrom ?? 0;
  const pick = (kind: Quantity['kind']) => {
    const ofKind = quantities.filter((quantity) => quantity.kind === kind);
    return ofKind.find((quantity) => quantity.introduced) ?? ofKind.find((quantity) => quantity.offset >= bareFrom);
  };
  const distance = pick('distance');
  const duration = pick('duration');
  const onsetM = distance?.value;
  const onsetS = duration?.value;
  return {
    introduced: !!(distance?.introduced || duration?.introduced),
    ...(onsetM !== undefined ? { onsetM: Math.round(onsetM) } : {}),
    ...(onsetS !== undefined ? { onsetS: Math.round(onsetS) } : {}),
  };
}
