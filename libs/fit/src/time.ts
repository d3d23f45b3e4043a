import { dateField, FIT_SYSTEM_TIME_LIMIT_MS, FitMessage } from './messages';

const QUARTER_HOUR_S = 900;
const MAX_OFFSET_S = 14 * 3600;

export interface ActivityClock {
  /** Local time = UTC + offset (seconds), when the file tells us. */
  utcOffsetS?: number;
  /** Added to the file's instants when the device clock was unset (times counted from power-on). */
  correctionMs: number;
}

/**
 * The local offset from the activity message (local_timestamp − timestamp, to the quarter hour).
 * Devices without a set clock write times counted from power-on; then the run is placed by its
 * local_timestamp (the only real date in the file) and its UTC offset is unknown.
 */
export function activityClock(activity: FitMessage | undefined): ActivityClock {
  const timestamp = dateField(activity, 'timestamp');
  const local = dateField(activity, 'local_timestamp');
  if (!timestamp || !local) return { correctionMs: 0 };
  if (isSystemTime(timestamp)) {
    return !isSystemTime(local) ? { correctionMs: local.getTime() - timestamp.getTime() } : { correctionMs: 0 };
  }
  const offsetS = Math.round((local.getTime() - timestamp.getTime()) / 1000 / QUARTER_HOUR_S) * QUARTER_HOUR_S;
  return Math.abs(offsetS) <= MAX_OFFSET_S ? { utcOffsetS: offsetS, correctionMs: 0 } : { correctionMs: 0 };
}

export function isSystemTime(instant: Date): boolean {
  return instant.getTime() < FIT_SYSTEM_TIME_LIMIT_MS;
}
