import { PAIN_LOCATIONS, PainLocation, RuleId } from '@deload/domain';
import { dateOfDay, LocalCalendar } from './calendar';
import { RULES } from './rules';
import type { RuleContext } from './rules/rule';
import { DEFAULT_THRESHOLDS, Thresholds } from './thresholds';
import { LoggedPain, LoggedRun, TrainingLog } from './training-log';
import type { Condition, EnginePainReport, EngineRun, Evaluation, EvaluationInput, RuleNote } from './types';

/**
 * Local days an evaluation reads (12 weeks): enough for every rule's longest window (8 weeks of
 * baseline plus the recent weeks), so the cost is the same for 1 or 10 years of history.
 */
export const WINDOW_DAYS = 84;

/** The first instant whose runs an evaluation as of `asOf` can read: load runs from here on. */
export function windowStart(asOf: Date, timezone: string): Date {
  const calendar = new LocalCalendar(timezone);
  return new Date(calendar.startOf(calendar.dayOf(asOf) - WINDOW_DAYS + 1));
}

/**
 * Runs every rule for one runner as of an instant. Pure: no clock, no I/O. Runs outside the
 * window or after `asOf` are ignored, as are pain reports on runs not given.
 */
export function evaluate(input: EvaluationInput): Evaluation {
  const calendar = new LocalCalendar(input.profile.timezone);
  const asOfMs = input.asOf.getTime();
  const today = calendar.dayOf(asOfMs);
  const firstDay = today - WINDOW_DAYS + 1;
  const runs = toLoggedRuns(input.runs, input.painReports ?? [], calendar).filter((run) => run.startMs <= asOfMs && run.day >= firstDay);
  const latestRunMs = runs.reduce((latest, run) => Math.max(latest, run.startMs), -Infinity);
  const syncedThroughMs = input.syncedThrough ? input.syncedThrough.getTime() : latestRunMs;
  const historyStartMs = input.historyStart
    ? input.historyStart.getTime()
    : runs.reduce((earliest, run) => Math.min(earliest, run.startMs), Infinity);
  return evaluateDay({
    log: new TrainingLog(runs),
    today,
    lastKnownDay: Number.isFinite(syncedThroughMs) ? Math.min(today, calendar.dayOf(Math.min(asOfMs, syncedThroughMs))) : today,
    historyStartDay: Number.isFinite(historyStartMs) ? calendar.dayOf(historyStartMs) : null,
    shoes: new Map((input.shoes ?? []).map((shoe) => [shoe.id, shoe])),
    thresholds: input.profile.thresholds ?? DEFAULT_THRESHOLDS,
    units: input.profile.units ?? 'km',
  });
}

/**
 * The engine on a prepared context: what the service (through evaluate) and the replay call.
 * `notes: false` skips writing each rule's note (the replay never reads them).
 */
export function evaluateDay(context: RuleContext, options: { notes: boolean } = { notes: true }): Evaluation {
  const conditions: Condition[] = [];
  const judgedRules: RuleId[] = [];
  const notes: RuleNote[] = [];
  for (const rule of RULES) {
    if (!ruleEnabled(context.thresholds, rule.id)) {
      judgedRules.push(rule.id);
      if (options.notes) notes.push({ rule: rule.id, status: 'disabled', reason: 'turned off in this runner’s thresholds' });
      continue;
    }
    const result = rule.evaluate(context);
    if (result.status !== 'insufficient-data') judgedRules.push(rule.id);
    for (const condition of result.conditions) conditions.push(condition);
    if (options.notes)
      notes.push({ rule: rule.id, status: result.status, reason: typeof result.reason === 'string' ? result.reason : result.reason() });
  }
  return { date: dateOfDay(context.today), conditions, judgedRules, notes };
}

function ruleEnabled(thresholds: Thresholds, rule: RuleId): boolean {
  return thresholds[rule].enabled;
}

export function toLoggedRuns(runs: readonly EngineRun[], reports: readonly EnginePainReport[], calendar: LocalCalendar): LoggedRun[] {
  const painByRun = new Map<string, LoggedPain[]>();
  for (const report of reports) {
    const list = painByRun.get(report.runId) ?? [];
    list.push(toLoggedPain(report));
    painByRun.set(report.runId, list);
  }
  return runs.map((run) => toLoggedRun(run, calendar, painByRun.get(run.id) ?? []));
}

export function toLoggedRun(run: EngineRun, calendar: LocalCalendar, pain: LoggedPain[]): LoggedRun {
  return toLoggedRunAt(run, run.startUtc.getTime(), calendar, pain);
}

/** The same from a start instant in milliseconds (the replay keeps starts as numbers). */
export function toLoggedRunAt(run: Omit<EngineRun, 'startUtc'>, startMs: number, calendar: LocalCalendar, pain: LoggedPain[]): LoggedRun {
  return {
    id: run.id,
    startMs,
    day: calendar.dayOf(startMs),
    distanceM: run.distanceM,
    durationS: positiveOrNull(run.movingS) ?? positiveOrNull(run.elapsedS),
    elevationLossM: finiteOrNull(run.elevationLossM),
    cadenceSpm: positiveOrNull(run.avgCadenceSpm),
    shoeId: run.shoeId ?? null,
    pain,
  };
}

export function toLoggedPain(report: Omit<EnginePainReport, 'runId'>): LoggedPain {
  const location: PainLocation =
    report.location && (PAIN_LOCATIONS as readonly string[]).includes(report.location) ? report.location : 'other';
  return { hasPain: report.hasPain, location, onsetM: finiteOrNull(report.onsetM), onsetS: finiteOrNull(report.onsetS) };
}

export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function positiveOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}
