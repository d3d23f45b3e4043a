import type { DistanceUnit, PainObservation } from '@deload/domain';
import { findOnset } from './quantities';
import { findLocation, findSeverity, findSide, IDIOMS, LOCATIONS, PAIN_WORD, SORE_WORD } from './vocabulary';

/** A pain report read from a run's title or description (grammar: README → Pain tags). */
export interface PainTag {
  observation: PainObservation;
  /** The sentence it was read from, as the runner wrote it. */
  text: string;
}

export interface PainTagOptions {
  /** Unit of a bare number after a preposition ("pain @ 5"): the runner's units. Without it such numbers are ignored. */
  defaultUnit?: DistanceUnit;
}

const ITB_WORD = LOCATIONS[0][1];
const BODY_PART = new RegExp(LOCATIONS.map(([, pattern]) => pattern.source).join('|'));
const PAIN_NOUN = String.raw`(?:pain|hurt|niggles?|issues?|problems?|twinges?|soreness)`;
const LOCATION_WORDS = String.raw`(?:(?:${BODY_PART.source})\s+)?`;

/** "no pain until 8k", "pain-free for the first 5k", "knee fine until 5k": pain after all, starting there. */
const UNTIL = String.raw`\s+(?:until|till?|before|for\s+(?:the\s+)?first|in\s+the\s+first|up\s+to)\s+`;
const LATE_ONSET = new RegExp(
  String.raw`\b(?:no|zero|without)\s+(${LOCATION_WORDS})${PAIN_NOUN}${UNTIL}|\b()(?:pain|hurt)[\s-]*free${UNTIL}|\b((?:${BODY_PART.source})\s+)(?:felt\s+|was\s+)?(?:fine|good|great|ok|okay)${UNTIL}`,
  'g',
);
const NEGATIONS = [
  new RegExp(String.raw`\b(?:no|zero|without|never\s+any|not\s+any|didn't\s+have\s+any)\s+${LOCATION_WORDS}${PAIN_NOUN}\b`, 'g'),
  new RegExp(String.raw`${LOCATION_WORDS}\b(?:pain|hurt)[\s-]*free\b|\bpainless\b|\bnothing\s+hurt\b|\bdidn't\s+hurt\b|\bno\s+pain\b`, 'g'),
  new RegExp(
    String.raw`(?:${BODY_PART.source})\s+(?:felt\s+|feels\s+|was\s+|is\s+|held\s+up\s+)?(?:fine|good|great|ok|okay|perfect|solid)\b`,
    'g',
  ),
];

/** Every word root the grammar reacts to: a text with none of them says nothing about pain (most descriptions). */
const ANY_CUE =
  /pain|hurt|niggl|twing|flar|stab|sore|ach|it\s*-?\s*b|i\.t|iliotib|knee|patell|hip|glute|tfl|shin|tibia|cal(f|ves)|soleus|achill|foot|feet|heel|arch|plantar|toe|metatars|ankle|ham|quad|groin|back/i;
const NEGATION_TESTS = NEGATIONS.map((pattern) => new RegExp(pattern.source));

type Verdict = { kind: 'pain'; tag: PainTag } | { kind: 'no-pain'; tag: PainTag } | null;

/**
 * Reads a pain report from what a runner typed, e.g. `pain @ 6.5k`, `ITB 35min`,
 * `#pain 4km left knee`, `knee hurt from 3 mi`, `no pain`. Returns null when the text says nothing
 * about pain (`5k PR`, `no pain no gain`, `pain au chocolat`). When one sentence reports pain and
 * another says "no pain", the pain wins: "no pain for 5k, then ITB at 7k" is pain at 7 km.
 */
export function parsePainTag(text: string | null | undefined, options: PainTagOptions = {}): PainTag | null {
  if (!text?.trim() || !ANY_CUE.test(text)) return null;
  let negative: PainTag | null = null;
  for (const sentence of sentences(text)) {
    const verdict = readSentence(sentence, options);
    if (verdict?.kind === 'pain') return verdict.tag;
    if (verdict?.kind === 'no-pain') negative ??= verdict.tag;
  }
  return negative;
}

/** Sentences, keeping decimal points ("6.5k") inside them; the original spelling is kept for notes. */
function sentences(text: string): string[] {
  return text
    .split(/[!?;\n\r]+|\.(?!\d)/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function normalise(sentence: string): string {
  let text = sentence
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/#no-?pain\b/g, ' no pain ')
    .replace(/#(knee|itb|hip|shin|calf|foot)pain\b/g, ' $1 pain ')
    .replace(/#/g, ' ');
  for (const idiom of IDIOMS) text = text.replace(idiom, (match) => ' '.repeat(match.length));
  return text;
}

/** Where the first pain word or body part is: a number with no preposition only counts after it ("ITB 35min", not "easy 10k, knee hurt"). */
function firstCue(text: string): number {
  const positions = [PAIN_WORD, SORE_WORD, BODY_PART].map((pattern) => text.search(pattern)).filter((index) => index >= 0);
  return positions.length ? Math.min(...positions) : text.length;
}

function readSentence(original: string, options: PainTagOptions): Verdict {
  const hashtag = /#(?:pain|itb|itbs|knee|niggle)\b/i.test(original);
  let text = normalise(original);
  text = text.replace(LATE_ONSET, (...groups: string[]) => ` ${groups[1] ?? groups[2] ?? groups[3] ?? ''}pain from `);
  const negated = NEGATION_TESTS.some((pattern) => pattern.test(text));
  for (const pattern of NEGATIONS) text = text.replace(pattern, (match) => ' '.repeat(match.length));

  // "Knee felt fine until 5k, then hurt": the place can sit in the part that was blanked out.
  const location = findLocation(text) ?? findLocation(normalise(original));
  const { introduced, ...onset } = findOnset(text, { defaultUnit: options.defaultUnit, bareFrom: firstCue(text) });
  const hasOnset = onset.onsetM !== undefined || onset.onsetS !== undefined;
  const cue =
    PAIN_WORD.test(text) || (SORE_WORD.test(text) && !!location) || ITB_WORD.test(text) || ((hashtag || !!location) && introduced);
  const specific = !!location || hasOnset || hashtag;
  if (cue && specific) {
    const observation: PainObservation = { hasPain: true, ...(location ? { location } : {}), ...onset };
    const side = findSide(text);
    const severity = findSeverity(text);
    if (side) observation.side = side;
    if (severity !== undefined) observation.severity = severity;
    return { kind: 'pain', tag: { observation, text: original } };
  }
  if (negated) {
    const negatedLocation = findLocation(normalise(original));
    return {
      kind: 'no-pain',
      tag: { observation: { hasPain: false, ...(negatedLocation ? { location: negatedLocation } : {}) }, text: original },
    };
  }
  return null;
}
