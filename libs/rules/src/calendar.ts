import { DateTime, IANAZone } from 'luxon';
import { invalid } from '@deload/domain';

/**
 * Local days as integers: day N is the calendar date N days after 1970-01-01 in the runner's
 * zone. Calendar days have no DST, so windows of "7 days" are 7 dates, never 7 × 24 h.
 */
export const MS_PER_DAY = 86_400_000;

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Per zone, shared by its calendars: offsets (minutes) per UTC day, NaN marking a day with a
 * transition, and the offsets at the start of UTC days they are worked out from.
 */
const offsetCache = new Map<string, { days: Map<number, number>; starts: Map<number, number> }>();
/** Luxon checks a zone by building an Intl formatter, which is slow; zone names are few. */
const zoneValidity = new Map<string, boolean>();
const OFFSET_CACHE_LIMIT = 50_000;

export class LocalCalendar {
  private readonly zone: IANAZone;
  private readonly offsets: Map<number, number>;
  private readonly starts: Map<number, number>;

  constructor(readonly timezone: string) {
    if (!LocalCalendar.isValidZone(timezone)) throw invalid(`unknown time zone "${timezone}" (use an IANA name such as Europe/Oslo)`);
    this.zone = IANAZone.create(timezone);
    let offsets = offsetCache.get(this.zone.name);
    if (!offsets) offsetCache.set(this.zone.name, (offsets = { days: new Map(), starts: new Map() }));
    this.offsets = offsets.days;
    this.starts = offsets.starts;
  }

  static isValidZone(timezone: string): boolean {
    let valid = zoneValidity.get(timezone);
    if (valid === undefined) {
      valid = IANAZone.isValidZone(timezone);
      if (zoneValidity.size < 10_000) zoneValidity.set(timezone, valid);
    }
    return valid;
  }

  /** The local day of an instant. */
  dayOf(instant: Date | number): number {
    const ms = typeof instant === 'number' ? instant : instant.getTime();
    return Math.floor((ms + this.offsetMinutes(ms) * 60_000) / MS_PER_DAY);
  }

  /** The instant local day `day` begins (Luxon moves a midnight that falls in a DST gap forward). */
  startOf(day: number): number {
    const { year, month, dayOfMonth } = civilDate(day);
    return DateTime.fromObject({ year, month, day: dayOfMonth }, { zone: this.zone }).toMillis();
  }

  /** The last millisecond of local day `day`. */
  endOf(day: number): number {
    return this.startOf(day + 1) - 1;
  }

  /** Interprets a wall-clock ISO time without offset ("2025-03-02T07:10:00") in this zone. */
  parseLocal(isoWithoutOffset: string): number | null {
    const parsed = DateTime.fromISO(isoWithoutOffset, { zone: this.zone });
    return parsed.isValid ? parsed.toMillis() : null;
  }

  private offsetMinutes(ms: number): number {
    const utcDay = Math.floor(ms / MS_PER_DAY);
    let offset = this.offsets.get(utcDay);
    if (offset === undefined) {
      // The same offset at the start of this UTC day and of the next: no transition in between (a
      // transition exactly at the next midnight also marks the day, which only costs a lookup).
      const atStart = this.offsetAtStartOf(utcDay);
      offset = atStart === this.offsetAtStartOf(utcDay + 1) ? atStart : NaN;
      this.offsets.set(utcDay, offset);
    }
    return Number.isNaN(offset) ? this.zone.offset(ms) : offset;
  }

  /** Luxon's offset is slow (Intl): asked once per zone and UTC day, shared by the days either side. */
  private offsetAtStartOf(utcDay: number): number {
    let offset = this.starts.get(utcDay);
    if (offset === undefined) {
      offset = this.zone.offset(utcDay * MS_PER_DAY);
      if (this.starts.size >= OFFSET_CACHE_LIMIT) this.starts.clear();
      if (this.offsets.size >= OFFSET_CACHE_LIMIT) this.offsets.clear();
      this.starts.set(utcDay, offset);
    }
    return offset;
  }
}

function civilDate(day: number): { year: number; month: number; dayOfMonth: number } {
  const date = new Date(day * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, dayOfMonth: date.getUTCDate() };
}

const dates = new Map<number, string>();

/** "2025-03-09" for a local day (cached: facts and messages ask for the same few dates again and again). */
export function dateOfDay(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (dates.size >= 20_000) dates.clear();
    dates.set(day, date);
  }
  return date;
}

/** dayOfDate's answers (the replay asks it for each run's date, most of them the same few hundred). */
const days = new Map<string, number | null>();

/** The local day of a "YYYY-MM-DD" date, or null when it is not a real date. */
export function dayOfDate(date: string): number | null {
  let day = days.get(date);
  if (day === undefined) {
    day = parseDate(date);
    if (days.size >= 20_000) days.clear();
    days.set(date, day);
  }
  return day;
}

function parseDate(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const [year, month, dayOfMonth] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const check = new Date(ms);
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === dayOfMonth ? ms / MS_PER_DAY : null;
}

/** 0 = Monday … 6 = Sunday (1970-01-01, day 0, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function weekdayName(day: number): string {
  return WEEKDAY_NAMES[weekdayOf(day)];
}

/** The Monday that starts the week of `day`. */
export function mondayOf(day: number): number {
  return day - weekdayOf(day);
}
