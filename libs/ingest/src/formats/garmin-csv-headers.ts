/**
 * Column headers of Garmin Connect's Activities → Export CSV in the account's language, folded
 * (lower case, no accents, punctuation as spaces: "Ø Schrittfrequenz (Laufen)" → "o
 * schrittfrequenz laufen"). Sources are listed in fixtures/SOURCES.md: EN, DE, FR, ES, IT, NL and
 * PL headers are observed in public exports; PT is Garmin Connect's Portuguese wording for the
 * same columns. Each field lists the variants seen across export versions.
 */
export type GarminLanguage = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt' | 'pl';

export type GarminField =
  | 'type'
  | 'date'
  | 'title'
  | 'distance'
  | 'time'
  | 'movingTime'
  | 'elapsedTime'
  | 'avgHr'
  | 'runCadence'
  | 'ascent'
  | 'descent'
  | 'strideLength';

export const GARMIN_LANGUAGE_NAMES: Record<GarminLanguage, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  pl: 'Polish',
};

export const GARMIN_HEADERS: Record<GarminLanguage, Record<GarminField, string[]>> = {
  en: {
    type: ['activity type'],
    date: ['date'],
    title: ['title'],
    distance: ['distance'],
    time: ['time'],
    movingTime: ['moving time'],
    elapsedTime: ['elapsed time'],
    avgHr: ['avg hr', 'average heart rate', 'avg heart rate'],
    runCadence: ['avg run cadence'],
    ascent: ['total ascent', 'elev gain'],
    descent: ['total descent', 'elev loss'],
    strideLength: ['avg stride length'],
  },
  de: {
    type: ['aktivitatstyp'],
    date: ['datum'],
    title: ['titel'],
    distance: ['distanz'],
    time: ['zeit'],
    movingTime: ['zeit in bewegung'],
    elapsedTime: ['verstrichene zeit'],
    avgHr: ['o hf', 'o herzfrequenz', 'durchschnittliche herzfrequenz'],
    runCadence: ['o schrittfrequenz laufen', 'durchschnittliche schrittfrequenz laufen'],
    ascent: ['positiver hohenunterschied', 'anstieg gesamt', 'gesamtanstieg'],
    descent: ['negativer hohenunterschied', 'abstieg gesamt', 'gesamtabstieg'],
    strideLength: ['o schrittlange', 'durchschnittliche schrittlange'],
  },
  fr: {
    type: ['type d activite'],
    date: ['date'],
    title: ['titre'],
    distance: ['distance'],
    time: ['duree'],
    movingTime: ['temps de deplacement'],
    elapsedTime: ['temps ecoule'],
    avgHr: ['frequence cardiaque moyenne', 'fc moyenne'],
    runCadence: ['cadence de course moyenne'],
    ascent: ['ascension totale'],
    descent: ['descente totale'],
    strideLength: ['longueur moyenne des foulees'],
  },
  es: {
    type: ['tipo de actividad'],
    date: ['fecha'],
    title: ['titulo'],
    distance: ['distancia'],
    time: ['tiempo'],
    movingTime: ['tiempo en movimiento'],
    elapsedTime: ['tiempo transcurrido'],
    avgHr: ['frecuencia cardiaca media', 'fc media'],
    runCadence: ['cadencia de carrera media'],
    ascent: ['ascenso total'],
    descent: ['descenso total'],
    strideLength: ['longitud media de zancada'],
  },
  it: {
    type: ['tipo di attivita'],
    date: ['data'],
    title: ['titolo'],
    distance: ['distanza'],
    time: ['tempo'],
    movingTime: ['tempo in movimento'],
    elapsedTime: ['tempo trascorso'],
    avgHr: ['fc media', 'frequenza cardiaca media'],
    runCadence: ['cadenza di corsa media'],
    ascent: ['ascesa totale'],
    descent: ['discesa totale'],
    strideLength: ['lunghezza media passo'],
  },
  nl: {
    type: ['activiteittype'],
    date: ['datum'],
    title: ['titel'],
    distance: ['afstand'],
    time: ['tijd'],
    movingTime: ['tijd bewogen'],
    elapsedTime: ['verstreken tijd'],
    avgHr: ['gem hs', 'gemiddelde hartslag'],
    runCadence: ['gem loopcadans', 'gemiddelde loopcadans'],
    ascent: ['totale stijging'],
    descent: ['totale daling'],
    strideLength: ['gem staplengte'],
  },
  pt: {
    type: ['tipo de atividade'],
    date: ['data'],
    title: ['titulo'],
    distance: ['distancia'],
    time: ['tempo'],
    movingTime: ['tempo em movimento'],
    elapsedTime: ['tempo decorrido'],
    avgHr: ['fc media', 'frequencia cardiaca media'],
    runCadence: ['cadencia de corrida media'],
    ascent: ['subida total'],
    descent: ['descida total'],
    strideLength: ['comprimento medio da passada'],
  },
  pl: {
    type: ['typ aktywnosci'],
    date: ['data'],
    title: ['tytul'],
    distance: ['dystans'],
    time: ['czas'],
    movingTime: ['czas ruchu', 'czas w ruchu'],
    elapsedTime: ['czas calkowity', 'czas ktory uplynal'],
    avgHr: ['srednie tetno'],
    runCadence: ['srednia kadencja biegu'],
    ascent: ['calkowity wznios', 'wznios calkowity'],
    descent: ['calkowity spadek', 'spadek calkowity'],
    strideLength: ['srednia dlugosc kroku'],
  },
};

/** "Ø Schrittfrequenz (Laufen)" → "o schrittfrequenz laufen". */
export function foldHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The export language a header row is in, told by its first column (the activity type). */
export function garminCsvLanguage(headers: string[]): GarminLanguage | undefined {
  const folded = headers.map(foldHeader);
  return (Object.keys(GARMIN_HEADERS) as GarminLanguage[]).find(
    (language) => GARMIN_HEADERS[language].type.includes(folded[0]) && GARMIN_HEADERS[language].date.includes(folded[1]),
  );
}

/**
 * Whether a row reads like a Garmin Connect activity line whatever the header's language: a
 * "2024-05-02 07:10:12" time in the second column and the favourite flag true/false in the third.
 */
export function looksLikeGarminActivityRow(cells: string[]): boolean {
  return /^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}(:\d{2})?$/.test((cells[1] ?? '').trim()) && /^(true|false)$/i.test((cells[2] ?? '').trim());
}
