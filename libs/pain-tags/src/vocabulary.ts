import type { PainLocation, PainSide } from '@deload/domain';

/**
 * The words runners use, as regular-expression sources over lower-cased text. Kept apart from the
 * parser so the grammar in the README and this file can be read side by side.
 */

/** Phrases that contain "pain" but say nothing about an injury; blanked out before parsing. */
export const IDIOMS = [
  /no\s+pain[\s,!.-]*no\s+gain/g,
  /pains?\s+(?:au|aux)\s+\p{L}+/gu,
  /pain\s+(?:perdu|de\s+mie|complet|d'épices|d'epices)/g,
  /pain\s+cave/g,
  /world\s+of\s+(?:pain|hurt)/g,
  /growing\s+pains/g,
  /pain\s+in\s+the\s+(?:neck|arse|ass|butt)/g,
  /hurt\s+locker/g,
  /(?:legs|lungs)\s+(?:were|are)?\s*(?:burning|on\s+fire)/g,
];

/** Words that say something hurt. "sore" and "ache" need a named body part (sore legs after a hard day is not an injury). */
export const PAIN_WORD =
  /\b(?:pains?|painful|hurt(?:s|ing)?|niggl(?:e|es|y|ing)|twinge[sd]?|flare[sd]?(?:\s+up)?|flaring(?:\s+up)?|stabbing)\b/;
export const SORE_WORD = /\b(?:sore(?:ness)?|ach(?:e|es|ed|ing|y))\b/;

/** Locations, most specific first (the outer knee before the knee). */
export const LOCATIONS: readonly [PainLocation, RegExp][] = [
  [
    'lateral_knee',
    /\b(?:itbs?|i\.t\.?\s*b(?:and)?|it[\s-]*band|iliotibial(?:\s+band)?|outer\s+knee|outside\s+(?:of\s+)?(?:the\s+|my\s+)?knee|lateral\s+knee)\b|\bknee\s+\(outside\)/,
  ],
  ['knee', /\b(?:knees?|kneecaps?|patell(?:a|ar))\b/],
  ['hip', /\b(?:hips?|glutes?|tfl|hip\s+flexors?)\b/],
  ['shin', /\b(?:shins?|shin\s+splints|tibia)\b/],
  ['calf', /\b(?:calf|calves|soleus)\b/],
  ['achilles', /\b(?:achilles|achille)\b/],
  ['foot', /\b(?:foot|feet|heels?|arch(?:es)?|plantar|toes?|metatarsals?)\b/],
  ['other', /\b(?:ankles?|hamstrings?|hammys?|quads?|groin|(?:lower\s+)?back)\b/],
];

/** Anything that names a body part; used to tell "sore calves" (a report) from "sore legs" (not one). */
export function findLocation(text: string): PainLocation | undefined {
  return LOCATIONS.find(([, pattern]) => pattern.test(text))?.[0];
}

const BODY_PART = '(?:knees?|it|itb|hips?|shins?|calf|calves|achilles|foot|feet|heels?|ankles?|leg|side)';

export const SIDES: readonly [PainSide, RegExp][] = [
  ['both', /\b(?:both\s+(?:sides|knees|legs|hips|shins|calves|feet)|bilateral(?:ly)?|left\s+and\s+right|right\s+and\s+left)\b/],
  ['left', new RegExp(`\\b(?:left|lft|lt)\\b|\\bl\\b(?=\\s*${BODY_PART})|\\(l\\)`)],
  ['right', new RegExp(`\\b(?:right|rt)\\b|\\br\\b(?=\\s*${BODY_PART})|\\(r\\)`)],
];

export function findSide(text: string): PainSide | undefined {
  return SIDES.find(([, pattern]) => pattern.test(text))?.[0];
}

/** "4/10", "sev 4", "severity: 6", or a word (mild 2, moderate 5, severe 8). */
const SEVERITY_NUMBER = /\b(\d{1,2}(?:[.,]5)?)\s*\/\s*10\b|\b(?:sev(?:erity)?|pain\s+level|level)\s*[:=]?\s*(\d{1,2})\b/;
const SEVERITY_WORDS: readonly [number, RegExp][] = [
  [8, /\b(?:severe(?:ly)?|terrible|awful|excruciating|agony|really\s+bad)\b/],
  [5, /\b(?:moderate(?:ly)?|quite\s+(?:sore|painful|bad))\b/],
  [2, /\b(?:mild(?:ly)?|slight(?:ly)?|minor|a\s+(?:little|bit|touch)|light)\b/],
];

export function findSeverity(text: string): number | undefined {
  const match = SEVERITY_NUMBER.exec(text);
  if (match) {
    const value = Math.round(Number((match[1] ?? match[2]).replace(',', '.')));
    return value <= 10 ? value : undefined;
  }
  return SEVERITY_WORDS.find(([, pattern]) => pattern.test(text))?.[0];
}
