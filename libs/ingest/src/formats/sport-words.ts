import { Sport } from '@deload/domain';

/**
 * Words for sports as exports write them, in the languages Garmin Connect, Strava, Polar and
 * Apple Health export in (English, German, French, Spanish, Italian, Dutch, Portuguese, Polish),
 * matched on the folded text (lower case, no accents, no spaces or punctuation). Order matters:
 * the first rule that matches decides ("Laufband" is a treadmill before it is a run, "Skilanglauf"
 * is skiing before it is a run).
 */
const RULES: { sport: Sport; test: (text: string) => boolean }[] = [
  // Sports whose names contain a running word but are not running.
  {
    sport: 'other',
    test: (t) =>
      /ski|esqui|narciar|^sci|langlauf|eislauf|schlittschuh|skat|inline|wheelchair|rollstuhl|snowshoe|schneeschuh|rowing|rudern/.test(t),
  },
  { sport: 'swim', test: (t) => /swim|schwimm|natation|natacion|natacao|nuoto|zwem|plywan/.test(t) },
  { sport: 'ride', test: (t) => /ride|cycl|bik|radfahr|rennrad|velo|cicl|fiets|kolarst|rower|bicicleta/.test(t) || t === '1' },
  {
    sport: 'treadmill_run',
    test: (t) => /treadmill|laufband|tapis|cinta|esteira|loopband|biezni|indoorrun|indoorlauf|hallenlauf|ensalle/.test(t),
  },
  { sport: 'virtual_run', test: (t) => /virtual/.test(t) && isRunning(t) },
  {
    sport: 'trail_run',
    test: (t) => t === 'trail' || (/trail|berglauf|gelandelauf|montan|sentier|terenie|trilha/.test(t) && isRunning(t)),
  },
  { sport: 'track_run', test: (t) => /baanlop/.test(t) || (/track|bahn|piste|pista|stadion/.test(t) && isRunning(t)) },
  { sport: 'run', test: (t) => isRunning(t) || t === '9' },
  { sport: 'hike', test: (t) => /hik|wander|randonn|senderis|escursion|trek|wedrow/.test(t) },
  { sport: 'walk', test: (t) => /walk|gehen|marche|camin|cammin|wandel|chodz|spacer/.test(t) },
];

function isRunning(text: string): boolean {
  return /run|lauf|course|carrera|corsa|corrida|hardlop|bieg|jogg|footing|correr/.test(text);
}

/** Lower case, accents and the Polish ł folded to plain letters, spaces and punctuation gone. */
export function foldWords(words: string): string {
  return words
    .toLowerCase()
    .replace(/ł/g, 'l')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * A sport from an export's own words for it — GPX <type>, TCX Sport, Strava "Activity Type",
 * Garmin "Activity Type" in any of its export languages ("Course à pied", "Laufen"), Garmin's
 * type keys ("trail_running"), Polar's ("TREADMILL_RUNNING"), HealthKit's
 * ("HKWorkoutActivityTypeHiking"). Unknown words are 'other' (kept, not counted as running);
 * no words at all are undefined.
 */
export function sportFromWords(words: string | undefined): Sport | undefined {
  const text = foldWords(words ?? '');
  if (!text) return undefined;
  return RULES.find((rule) => rule.test(text))?.sport ?? 'other';
}
