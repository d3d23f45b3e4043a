import { AlertResponse, DISMISS_REASONS, DismissReason, DistanceUnit, metresPer, RuleId, Severity, toUnit } from '@deload/domain';
import {
  ALERT_ACTION_LABELS,
  DISMISS_REASON_LABELS,
  formatChange,
  formatDate,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatShortDate,
  presentationOf,
  SEVERITY_LABELS,
} from '@deload/rules';

/** A missing figure: a dash rather than "NaN km". */
const MISSING = '–';
const known = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

/**
 * Number and date formatting for pages (available in every view as `it.fmt`): the formatters the
 * emails use (libs/rules presentation/format.ts), so a page and an email print a figure alike, with
 * a dash for a missing one. Dates are in the runner's time zone.
 */
export const fmt = {
  distance(metres: number | null | undefined, units: DistanceUnit): string {
    return known(metres) ? formatDistance(metres, units) : MISSING;
  },

  /** Metres as a bare number in the unit, for form fields. */
  number(metres: number, units: DistanceUnit, decimals = 1): number {
    return toUnit(metres, units, decimals);
  },

  /** 1.37 → "+37 %", 0.8 → "−20 %". */
  change(ratio: number | null | undefined): string {
    return known(ratio) ? formatChange(ratio - 1) : MISSING;
  },

  /** A ratio among figures (ACWR, a run against the longest before it): two decimals. */
  ratio(value: number | null | undefined, decimals = 2): string {
    return known(value) ? value.toFixed(decimals) : MISSING;
  },

  duration(seconds: number | null | undefined): string {
    return known(seconds) ? formatDuration(seconds) : MISSING;
  },

  /** A stopwatch time: "5:07", "1:02:30". */
  clock(seconds: number | null | undefined): string {
    if (!known(seconds)) return MISSING;
    const total = Math.round(seconds);
    const [hours, minutes, secs] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    const pad = (value: number) => String(value).padStart(2, '0');
    return hours ? `${hours}:${pad(minutes)}:${pad(secs)}` : `${minutes}:${pad(secs)}`;
  },

  /** Moving time per km or mile: "5:12 /km". */
  pace(seconds: number | null | undefined, metres: number | null | undefined, units: DistanceUnit): string {
    if (!known(seconds) || !known(metres) || metres <= 0 || seconds <= 0) return MISSING;
    const perUnit = Math.round((seconds / metres) * metresPer(units));
    return `${Math.floor(perUnit / 60)}:${String(perUnit % 60).padStart(2, '0')} /${units}`;
  },

  date(value: Date | string | null | undefined, timezone = 'UTC'): string {
    return value ? formatDate(value, timezone) : MISSING;
  },

  /** "17 Mar", for a local date (YYYY-MM-DD). */
  shortDate(value: string): string {
    return formatShortDate(value);
  },

  dateTime(value: Date | null | undefined, timezone = 'UTC'): string {
    return value ? formatDateTime(value, timezone) : MISSING;
  },

  rule(rule: RuleId): string {
    return presentationOf(rule)?.title ?? rule;
  },

  ruleBadge(rule: RuleId): string {
    return presentationOf(rule)?.label ?? rule;
  },

  /** The reasons to dismiss an alert, as the form offers them: [value, label]. */
  dismissReasons(): [DismissReason, string][] {
    return DISMISS_REASONS.map((reason) => [reason, DISMISS_REASON_LABELS[reason]]);
  },

  dismissReason(reason: DismissReason): string {
    return DISMISS_REASON_LABELS[reason] ?? reason;
  },

  /** "Acknowledged", "Dismissed", "Answer withdrawn". */
  alertAction(action: AlertResponse | 'withdrawn'): string {
    return ALERT_ACTION_LABELS[action] ?? action;
  },

  /** "caution" → "Caution", "info" → "Heads-up": the word the emails use. */
  severity(severity: Severity): string {
    return SEVERITY_LABELS[severity] ?? severity;
  },

  /** Pain onset as the runner reported it: "3.2 km in", "25 min in", or both. */
  onset(onsetM: number | null, onsetS: number | null, units: DistanceUnit): string {
    const parts = [onsetM !== null ? fmt.distance(onsetM, units) : null, onsetS !== null ? fmt.duration(onsetS) : null].filter(Boolean);
    return parts.length ? `${parts.join(' / ')} in` : 'onset not given';
  },

  /** "lateral_knee" → "lateral knee". */
  words(value: string | null | undefined): string {
    return value ? value.replace(/[_-]/g, ' ') : MISSING;
  },
};

export type Formatters = typeof fmt;
