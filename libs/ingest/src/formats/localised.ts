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
