import { FitRun } from './map';

/** "2025-03-02T07:10:00+01:00": the instant written in the runner's local time. */
export function localIsoString(instant: Date, utcOffsetS: number): string {
  const local = new Date(instant.getTime() + utcOffsetS * 1000).toISOString().slice(0, 19);
  const sign = utcOffsetS < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(utcOffsetS / 60));
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const round = (value: number | undefined, decimals = 1) =>
  value === undefined ? undefined : Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * A mapped FIT run as a replay `run` line (DESIGN.md → Contracts → Replay format) plus `sport`,
 * `device`, `records` and, when there are any, data-quality `flags`.
 */
export function replayRunLine({ run, records }: FitRun): Record<string, unknown> {
  const line: Record<string, unknown> = {
    type: 'run',
    id: run.externalId,
    start: localIsoString(run.startUtc, run.utcOffsetS),
    distance_m: round(run.distanceM),
    moving_s: round(run.movingS),
    elapsed_s: round(run.elapsedS),
    elevation_gain_m: round(run.elevationGainM),
    elevation_loss_m: round(run.elevationLossM),
    cadence_spm: round(run.avgCadenceSpm),
    avg_hr: round(run.avgHr, 0),
    sport: run.sport,
    device: run.device,
    records,
    flags: run.flags?.length ? run.flags : undefined,
  };
  return Object.fromEntries(Object.entries(line).filter(([, value]) => value !== undefined));
}
