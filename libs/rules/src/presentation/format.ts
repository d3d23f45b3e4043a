import { type DistanceUnit, metresPer, type PainLocation, toUnit } from '@deload/domain';

/**
 * The one set of formatters for numbers and dates, shared by the engine's messages, the emails
 * (libs/notify) and the pages (apps/api `fmt`), so a page and an email print a figure alike.
 * Rounding: a distance is whole from 10 units up and has one decimal below ("52 km", "4.5 km",
 * never "8.0 km"); a percentage is whole; a duration is whole minutes. Dates are en-GB; a local
 * date (YYYY-MM-DD, already the runner's own calendar day) prints as it is, an instant in the
 * runner's time zone.
 */

/** "52 km", "4.5 km", "32 mi". */
export function formatDistance(metres: number, units: DistanceUnit): string {
  const value = toUnit(metres, units, metres >= 10 * metresPer(units) ? 0 : 1);
  return `${value} ${units}`;
}

/** 812 m of descent (elevation stays metric: runners read climbs in metres). */
export function formatMetres(metres: number): string {
  return `${Math.round(metres)} m`;
}

/** 1 500 s → "25 min", 4 200 s → "1 h 10 min". */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** 0.372 → "37 %". */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

/** A change as a signed percentage, with a real minus sign: 0.12 → "+12 %", −0.08 → "−8 %", 0.001 → "±0 %". */
export function formatChange(fraction: number): string {
  const percent = Math.round(fraction * 100);
  return `${percent > 0 ? '+' : percent < 0 ? '−' : '±'}${Math.abs(percent)} %`;
}

/** A ratio in prose, to one decimal: 2.14 → "2.1", 2.0 → "2". */
export function formatTimes(ratio: number): string {
  return String(Math.round(ratio * 10) / 10);
}

/** A local date at noon UTC: formatted in UTC, it is the same calendar day everywhere. */
function localDate(isoDate: string): Date {
  return new Date(`${isoDate}T12:00:00Z`);
}

function format(date: Date, options: Intl.DateTimeFormatOptions, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(date);
}

/** "Tuesday 4 March" for a local date; an unreadable date as it came. */
export function formatLocalDate(isoDate: string): string {
  const date = localDate(isoDate);
  return Number.isNaN(date.getTime()) ? isoDate : format(date, { weekday: 'long', day: 'numeric', month: 'long' });
}

/** "4–10 March 2025", "28 April–4 May 2025" for a week's first and last local day. */
export function formatDateRange(fromIso: string, toIso: string): string {
  const from = localDate(fromIso);
  const to = localDate(toIso);
  const sameMonth = from.getUTCMonth() === to.getUTCMonth();
  const start = sameMonth ? format(from, { day: 'numeric' }) : format(from, { day: 'numeric', month: 'long' });
  return `${start}–${format(to, { day: 'numeric', month: 'long', year: 'numeric' })}`;
}

/** "Mon, 17 Mar 2025": a local date (YYYY-MM-DD) as it is, an instant in the runner's time zone. */
export function formatDate(value: Date | string, timeZone = 'UTC'): string {
  const isLocalDate = typeof value === 'string' && value.length === 10;
  const date = isLocalDate ? localDate(value) : new Date(value);
  return format(date, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }, isLocalDate ? 'UTC' : timeZone);
}

/** "17 Mar" for a local date. */
export function formatShortDate(isoDate: string): string {
  return format(localDate(isoDate), { day: 'numeric', month: 'short' });
}

/** "17 Mar 2025, 07:30" in the runner's time zone. */
export function formatDateTime(value: Date, timeZone = 'UTC'): string {
  return format(value, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }, timeZone);
}

const LOCATION_LABELS: Record<PainLocation, string> = {
  lateral_knee: 'outer-knee',
  knee: 'knee',
  hip: 'hip',
  shin: 'shin',
  calf: 'calf',
  achilles: 'Achilles',
  foot: 'foot',
  other: '',
};

/** "outer-knee pain", "knee pain"; "pain" for other or none. */
export function painLabel(location: PainLocation | null | undefined): string {
  const label = LOCATION_LABELS[location ?? 'other'];
  return label ? `${label} pain` : 'pain';
}
