import { parse as parseDate, isValid } from 'date-fns';
import { de, enGB, enUS, es, fr, it, nl, pt } from 'date-fns/locale';

/**
 * A number as an export writes it: "10230.5", "10230,5" or "10.230,5". Strava's CSV has no
 * thousands separators in plain numbers, so a lone comma is a decimal comma.
 */
export function parseLocalisedNumber(text: string | undefined): number | undefined {
  const compact = (text ?? '').replace(/[\s\u00a0\u202f']/g, '');
  if (!compact) return undefined;
  const lastComma = compact.lastIndexOf(',');
  const lastDot = compact.lastIndexOf('.');
  const decimal = lastComma > lastDot ? ',' : '.';
  const thousands = decimal === ',' ? '.' : ',';
  const normal = compact.split(thousands).join('').replace(decimal, '.');
  const value = Number(normal);
  return Number.isFinite(value) ? value : undefined;
}

/** Date formats Strava's "Activity Date" takes in the languages it exports in. */
const DATE_FORMATS: { format: string; locale: typeof enUS }[] = [
  { format: 'MMM d, yyyy, h:mm:ss a', locale: enUS },
  { format: 'MMM d, yyyy h:mm:ss a', locale: enUS },
  { format: 'd MMM yyyy, HH:mm:ss', locale: enGB },
  { format: 'dd.MM.yyyy, HH:mm:ss', locale: de },
  { format: 'd. MMM yyyy, HH:mm:ss', locale: de },
  { format: 'd. MMMM yyyy, HH:mm:ss', locale: de },
  { format: 'd MMM yyyy, HH:mm:ss', locale: fr },
  { format: 'd MMMM yyyy, HH:mm:ss', locale: fr },
  { format: 'd MMM yyyy, H:mm:ss', locale: es },
  { format: "d 'de' MMMM 'de' yyyy, H:mm:ss", locale: es },
  { format: "d 'de' MMM 'de' yyyy, HH:mm:ss", locale: pt },
  { format: 'd MMM yyyy, HH:mm:ss', locale: it },
  { format: 'd MMM yyyy, HH:mm:ss', locale: nl },
  { format: 'dd/MM/yyyy, HH:mm:ss', locale: enGB },
  { format: 'yyyy-MM-dd HH:mm:ss', locale: enUS },
];

/**
 * Strava's "Activity Date" (UTC, written in the account's language) as an instant. Returns
 * undefined for text in none of the known shapes.
 */
export function parseExportDate(text: string | undefined): Date | undefined {
  const cleaned = (text ?? '')
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T/.test(cleaned)) {
    const iso = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(cleaned) ? cleaned : `${cleaned}Z`);
    return isValid(iso) ? iso : undefined;
  }
  for (const { format, locale } of DATE_FORMATS) {
    const local = parseDate(cleaned, format, new Date(2000, 0, 1), { locale });
    if (isValid(local)) {
      // date-fns reads the fields in the process's zone; the export's clock is UTC.
      return new Date(
        Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getSeconds()),
      );
    }
  }
  return undefined;
}

export type DecimalMark = '.' | ',';

const NUMBER_LIKE = /^'?[-+]?[\d.,\s\u00a0\u202f']+$/;

/**
 * The decimal mark a file's numbers use, from the cells that can only be read one way ("3.95",
 * "1.234,5"); "4,404" could be either and does not vote. Undefined when nothing tells.
 */
export function decimalMarkOf(cells: Iterable<string>): DecimalMark | undefined {
  let dot = 0;
  let comma = 0;
  for (const raw of cells) {
    const cell = raw.replace(/[\s\u00a0\u202f']/g, '');
    if (!NUMBER_LIKE.test(raw.trim()) || !/\d/.test(cell)) continue;
    const lastDot = cell.lastIndexOf('.');
    const lastComma = cell.lastIndexOf(',');
    const last = Math.max(lastDot, lastComma);
    if (last < 0) continue;
    const decimals = cell.length - last - 1;
    const both = lastDot >= 0 && lastComma >= 0;
    if (!both && decimals === 3) continue;
    if (both ? lastDot > lastComma : lastDot >= 0) dot += 1;
    else comma += 1;
  }
  if (dot === comma) return undefined;
  return dot > comma ? '.' : ',';
}

/**
 * A number written with the given decimal mark; the other mark, spaces and apostrophes are
 * thousands separators ("4,404" with '.' is 4404). A leading apostrophe (a spreadsheet's "keep
 * as text" mark, as in "'-12") is ignored. Undefined for empty or non-numeric text.
 */
export function parseNumber(text: string | undefined, decimalMark: DecimalMark): number | undefined {
  const trimmed = (text ?? '').trim().replace(/^'/, '');
  if (!NUMBER_LIKE.test(trimmed) || !/\d/.test(trimmed)) return undefined;
  const thousands = decimalMark === '.' ? ',' : '.';
  const normal = trimmed
    .replace(/[\s\u00a0\u202f']/g, '')
    .split(thousands)
    .join('')
    .replace(decimalMark, '.');
  const value = Number(normal);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A clock-style duration in seconds: "1:02:03", "00:35:20", "35:20", "06:25.8" (minutes,
 * seconds and tenths), with a comma for the tenths too. Undefined for anything else.
 */
export function parseClockDuration(text: string | undefined): number | undefined {
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$/.exec((text ?? '').trim());
  if (!match) return undefined;
  const [, hours, minutes, seconds] = match;
  const minutesValue = Number(minutes);
  const secondsValue = Number(seconds.replace(',', '.'));
  if (secondsValue >= 60 || (hours !== undefined && minutesValue >= 60)) return undefined;
  return Number(hours ?? 0) * 3600 + minutesValue * 60 + secondsValue;
}

/** An ISO 8601 duration in seconds ("PT2712.000S", "PT1H2M3.5S", "P1DT2H"); undefined otherwise. */
export function parseIsoDuration(text: string | undefined): number | undefined {
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec((text ?? '').trim());
  if (!match || (text ?? '').trim() === 'P' || /T$/.test((text ?? '').trim())) return undefined;
  const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return days * 86_400 + hours * 3600 + minutes * 60 + seconds;
}

/** A JSON value that is a finite number, or undefined. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
