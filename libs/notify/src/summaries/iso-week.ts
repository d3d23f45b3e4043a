import { invalid } from '@deload/domain';

const DAY_MS = 24 * 3600_000;

export interface WeekBounds {
  /** "2025-W10". */
  label: string;
  /** Local dates, YYYY-MM-DD: Monday and Sunday of the week. */
  monday: string;
  sunday: string;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Monday (UTC midnight, ms) of ISO week 1 of `year`: the week with the year's first Thursday. */
function mondayOfWeekOne(year: number): number {
  const january4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(january4).getUTCDay() + 6) % 7;
  return january4 - weekday * DAY_MS;
}

/** The ISO week of a calendar date ("2025-03-05" → "2025-W10"). */
export function isoWeekOf(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw invalid(`"${date}" is not a date (YYYY-MM-DD)`);
  const thursday = ms + (3 - ((new Date(ms).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - mondayOfWeekOne(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function weekBounds(label: string): WeekBounds {
  const match = /^(\d{4})-W(\d{2})$/.exec(label);
  const week = match ? Number(match[2]) : 0;
  if (!match || week < 1 || week > 53) throw invalid(`"${label}" is not an ISO week (e.g. 2025-W10)`);
  const monday = mondayOfWeekOne(Number(match[1])) + (week - 1) * 7 * DAY_MS;
  if (isoWeekOf(isoDate(monday)) !== label) throw invalid(`${match[1]} has no week ${week}`);
  return { label, monday: isoDate(monday), sunday: isoDate(monday + 6 * DAY_MS) };
}

/** A local date `days` later (or earlier, when negative). */
export function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}
