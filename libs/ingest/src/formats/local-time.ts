import { DateTime, IANAZone } from 'luxon';
import { TrackFormatError } from './track-format-error';

/** A wall-clock time as an export writes it, without a zone. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Which field comes first in slashed dates ("03/04/2024"): the day (most of the world) or the month (US). */
export type DateOrder = 'day-first' | 'month-first';

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(am|pm)?$/i;
const NUMERIC = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(am|pm)?$/i;

/** A 12-hour clock's hour (with AM/PM) on the 24-hour clock; a 24-hour clock's as it is. */
export function hour24(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

function valid(local: LocalDateTime): LocalDateTime | undefined {
  const probe = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
  const same =
    probe.getUTCFullYear() === local.year &&
    probe.getUTCMonth() === local.month - 1 &&
    probe.getUTCDate() === local.day &&
    probe.getUTCHours() === local.hour &&
    probe.getUTCMinutes() === local.minute &&
    probe.getUTCSeconds() === local.second;
  return same ? local : undefined;
}

/**
 * "2026-08-10 10:52:21", "2026-08-10T10:52", "10.08.2026 10:52", "10/08/2026 8:02:43 PM": a
 * wall-clock time. Slashed and dotted dates are read day first unless `order` says otherwise
 * (dots are always day first). Undefined for anything else, or for a date that does not exist.
 */
export function parseLocalDateTime(text: string | undefined, order: DateOrder = 'day-first'): LocalDateTime | undefined {
  const cleaned = (text ?? '')
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const iso = ISO.exec(cleaned);
  if (iso) {
    const [, year, month, day, hour, minute, second, meridiem] = iso;
    return valid({
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: hour24(Number(hour ?? 0), meridiem),
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
    });
  }
  const numeric = NUMERIC.exec(cleaned);
  if (!numeric) return undefined;
  const [, first, second, year, hour, minute, seconds, meridiem] = numeric;
  const monthFirst = order === 'month-first' && !cleaned.slice(0, 6).includes('.');
  return valid({
    year: Number(year),
    month: Number(monthFirst ? first : second),
    day: Number(monthFirst ? second : first),
    hour: hour24(Number(hour ?? 0), meridiem),
    minute: Number(minute ?? 0),
    second: Number(seconds ?? 0),
  });
}

/**
 * Day or month first, from a file's dates: a first field above 12 can only be a day, a second
 * one only a month. Undefined when every date reads both ways (or no date is slashed).
 */
export function dateOrderOf(texts: Iterable<string>): DateOrder | 'ambiguous' | undefined {
  let slashed = false;
  for (const text of texts) {
    const match = /^(\d{1,2})[/-](\d{1,2})[/-]\d{4}/.exec(text.trim());
    if (!match) continue;
    slashed = true;
    if (Number(match[1]) > 12) return 'day-first';
    if (Number(match[2]) > 12) return 'month-first';
  }
  return slashed ? 'ambiguous' : undefined;
}

export interface Instant {
  startUtc: Date;
  utcOffsetS: number;
  /** 'utc_offset_assumed' when the zone was the runner's, 'utc_offset_unknown' when there was none. */
  flag: 'utc_offset_assumed' | 'utc_offset_unknown';
}

/** Refuses a time zone name luxon does not know, before any row is read. */
export function assertTimeZone(timeZone: string | undefined): void {
  if (timeZone !== undefined && !IANAZone.isValidZone(timeZone)) {
    throw new TrackFormatError(`unknown time zone "${timeZone}" (expected an IANA name such as Europe/Oslo)`);
  }
}

/**
 * A wall-clock time read in the runner's zone (the export does not say which zone it was in; a
 * run abroad is off by the difference, and flagged as assumed). Without a zone, the wall clock is
 * taken as UTC — the day stays right, the instant is flagged unknown.
 */
export function localToInstant(local: LocalDateTime, timeZone: string | undefined): Instant {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  if (!timeZone) return { startUtc: new Date(asUtc), utcOffsetS: 0, flag: 'utc_offset_unknown' };
  const steady = steadyMonthOffset(timeZone, local.year, local.month);
  if (steady !== undefined) return { startUtc: new Date(asUtc - steady * 60_000), utcOffsetS: steady * 60, flag: 'utc_offset_assumed' };
  const zoned = DateTime.fromObject(local, { zone: timeZone });
  return { startUtc: zoned.toJSDate(), utcOffsetS: zoned.offset * 60, flag: 'utc_offset_assumed' };
}

/**
 * A zone's offset (minutes) through a whole month, or undefined when it changes in it (a DST
 * month, read with luxon per time). Asking the zone once per month instead of once per row keeps
 * a long history's import cheap: luxon's offset lookup formats a date through Intl each time.
 */
const monthOffsets = new Map<string, number | undefined>();

function steadyMonthOffset(timeZone: string, year: number, month: number): number | undefined {
  const key = `${timeZone}|${year}|${month}`;
  if (!monthOffsets.has(key)) {
    const zone = IANAZone.create(timeZone);
    // From before the month's first local midnight to after its last, whatever the zone's offset.
    const before = zone.offset(Date.UTC(year, month - 1, 1) - 15 * 3_600_000);
    const after = zone.offset(Date.UTC(year, month, 1) + 15 * 3_600_000);
    if (monthOffsets.size > 10_000) monthOffsets.clear();
    monthOffsets.set(key, before === after ? before : undefined);
  }
  return monthOffsets.get(key);
}

/** "2024-05-04 08:00" for messages. */
export function formatLocal(local: LocalDateTime): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`;
}
