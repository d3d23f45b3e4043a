import { type PainLocation } from '@deload/domain';
import { formatPercent, painLabel } from '@deload/rules';

/** The engine's own number formats, so an email and the alert it carries read alike. */
export { formatDistance, formatDuration, formatMetres, formatPercent } from '@deload/rules';

/** "Tuesday 4 March" for a YYYY-MM-DD local date (already the runner's own calendar day). */
/** A change as a signed percentage: "+12 %", "−8 %". */
export function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${formatPercent(Math.abs(fraction))}`;
}

export function formatLocalDate(isoDate: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

/** "4–10 March 2025" for a week's first and last local day. */
export function formatDateRange(fromIso: string, toIso: string): string {
  const from = new Date(`${fromIso}T12:00:00Z`);
  const to = new Date(`${toIso}T12:00:00Z`);
  const format = (options: Intl.DateTimeFormatOptions, date: Date) =>
    new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(date);
  const sameMonth = from.getUTCMonth() === to.getUTCMonth();
  const start = sameMonth ? format({ day: 'numeric' }, from) : format({ day: 'numeric', month: 'long' }, from);
  return `${start}–${format({ day: 'numeric', month: 'long', year: 'numeric' }, to)}`;
}

/** "outer-knee pain", "knee pain", "pain" (the engine's words). */
export function painName(location: PainLocation | null | undefined): string {
  return painLabel(location ?? 'other');
}
