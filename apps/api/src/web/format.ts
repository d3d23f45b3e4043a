import { RULE_BADGES, RULE_TITLES } from '@deload/dashboard';
import { DistanceUnit, RuleId, toUnit } from '@deload/domain';

/**
 * Number and date formatting for pages (available in every view as `it.fmt`). Dates use the
 * platform's Intl formatter in the runner's time zone.
 */
export const fmt = {
  distance(metres: number | null | undefined, units: DistanceUnit, decimals = 1): string {
    if (metres === null || metres === undefined || !Number.isFinite(metres)) return '–';
    return `${toUnit(metres, units, decimals).toFixed(decimals)} ${units}`;
  },

  /** Metres as a bare number in the unit, for form fields. */
  number(metres: number, units: DistanceUnit, decimals = 1): number {
    return toUnit(metres, units, decimals);
  },

  /** 1.37 → "+37 %", 0.8 → "−20 %". */
  change(ratio: number | null | undefined): string {
    if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
    const percent = Math.round((ratio - 1) * 100);
    return `${percent > 0 ? '+' : percent < 0 ? '−' : '±'}${Math.abs(percent)} %`;
  },

  ratio(value: number | null | undefined, decimals = 2): string {
    return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(decimals);
  },

  duration(seconds: number | null | undefined): string {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
    const minutes = Math.round(seconds / 60);
    return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  },

  date(value: Date | string | null | undefined, timezone = 'UTC'): string {
    if (!value) return '–';
    const date = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value;
    const zone = typeof value === 'string' && value.length === 10 ? 'UTC' : timezone;
    return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: zone }).format(
      date,
    );
  },

  /** "17 Mar", for a local date (YYYY-MM-DD). */
  shortDate(value: string): string {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${value}T12:00:00Z`));
  },

  dateTime(value: Date | null | undefined, timezone = 'UTC'): string {
    if (!value) return '–';
    return new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: timezone,
    }).format(value);
  },

  rule(rule: RuleId): string {
    return RULE_TITLES[rule] ?? rule;
  },

  ruleBadge(rule: RuleId): string {
    return RULE_BADGES[rule] ?? rule;
  },

  /** Pain onset as the runner reported it: "3.2 km in", "25 min in", or both. */
  onset(onsetM: number | null, onsetS: number | null, units: DistanceUnit): string {
    const parts = [onsetM !== null ? fmt.distance(onsetM, units) : null, onsetS !== null ? fmt.duration(onsetS) : null].filter(Boolean);
    return parts.length ? `${parts.join(' / ')} in` : 'onset not given';
  },

  /** "lateral_knee" → "lateral knee". */
  words(value: string | null | undefined): string {
    return value ? value.replace(/[_-]/g, ' ') : '–';
  },
};

export type Formatters = typeof fmt;
