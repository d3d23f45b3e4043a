import type { DistanceUnit, RuleId, Severity } from '@deload/domain';
import { dateOfDay, LocalCalendar } from '../calendar';
import { evaluateDay, toLoggedPain, toLoggedRunAt } from '../engine';
import { AlertSnapshot, decideLifecycle, LifecycleDecision, lookbackDays } from '../lifecycle';
import { DEFAULT_THRESHOLDS, Thresholds } from '../thresholds';
import { RULE_ORDER } from '../rules';
import { LoggedPain, TrainingLog } from '../training-log';
import type { Condition, EngineRun, EngineShoe, Facts } from '../types';
import { instantOf, parseReplayLine, PainLine, ReplayLine, runStartMs, ShoeLine } from './replay-lines';

/** One line of `deload replay` output: an alert that would have been emailed. */
export interface ReplayAlert {
  athlete: string;
  /** The runner's local date. */
  date: string;
  rule: RuleId;
  severity: Severity;
  message: string;
  facts: Facts;
}

export interface LineProblem {
  line: number;
  error: string;
}

export interface ReplayResult {
  alerts: ReplayAlert[];
  problems: LineProblem[];
  athletes: number;
  runs: number;
}

/** A run kept compact until its athlete is replayed (a long log holds hundreds of thousands). */
interface PendingRun {
  line: number;
  /** The start instant when the line gave an offset; else its wall-clock text, placed in the athlete's zone later. */
  start: number | string;
  run: Omit<EngineRun, 'startUtc'>;
}

interface AthleteLog {
  id: string;
  timezone: string | null;
  units: DistanceUnit | null;
  timezoneLine: number;
  shoes: Map<string, ShoeLine>;
  runs: Map<string, PendingRun>;
  pains: { line: number; pain: PainLine }[];
}

/**
 * `deload replay` without the I/O: feed it lines, then `run()` replays each athlete day by day as
 * if live — the engine at the end of every local day from the first run to the last, and the
 * alert lifecycle (cooldown, one email a day) deciding what would have been emailed.
 */
export class Replay {
  private readonly athletes = new Map<string, AthleteLog>();
  private readonly problems: LineProblem[] = [];
  private lineNumber = 0;

  constructor(private readonly thresholds: Thresholds = DEFAULT_THRESHOLDS) {}

  /** Adds the next line of the file (line numbers count from 1). */
  addLine(raw: string): void {
    this.lineNumber += 1;
    const parsed = parseReplayLine(raw);
    if (!parsed.ok) this.problems.push({ line: this.lineNumber, error: parsed.error });
    else if (parsed.line) this.addParsed(parsed.line, this.lineNumber);
  }

  private addParsed(line: ReplayLine, number: number): void {
    const athlete = this.athlete(line.athlete);
    const problem = this.place(athlete, line, number);
    if (problem) this.problems.push({ line: number, error: problem });
  }

  private place(athlete: AthleteLog, line: ReplayLine, number: number): string | null {
    switch (line.type) {
      case 'athlete':
        if (line.timezone && athlete.timezone && line.timezone !== athlete.timezone)
          return `athlete "${athlete.id}" already has time zone ${athlete.timezone} (line ${athlete.timezoneLine})`;
        athlete.timezone = line.timezone ?? athlete.timezone;
        athlete.units = line.units ?? athlete.units;
        if (line.timezone) athlete.timezoneLine = number;
        return null;
      case 'shoe':
        if (athlete.shoes.has(line.id)) return `shoe "${line.id}" of athlete "${athlete.id}" is defined twice`;
        athlete.shoes.set(line.id, line);
        return null;
      case 'run':
        if (athlete.runs.has(line.id))
          return `run "${line.id}" of athlete "${athlete.id}" appears twice (first on line ${athlete.runs.get(line.id)!.line})`;
        athlete.runs.set(line.id, {
          line: number,
          start: instantOf(line.start) ?? line.start,
          run: {
            id: line.id,
            distanceM: line.distance_m,
            movingS: line.moving_s,
            elapsedS: line.elapsed_s,
            elevationLossM: line.elevation_loss_m,
            avgCadenceSpm: line.cadence_spm,
            shoeId: line.shoe,
          },
        });
        return null;
      case 'pain':
        athlete.pains.push({ line: number, pain: line });
        return null;
    }
  }

  private athlete(id: string): AthleteLog {
    let athlete = this.athletes.get(id);
    if (!athlete) {
      athlete = { id, timezone: null, units: null, timezoneLine: 0, shoes: new Map(), runs: new Map(), pains: [] };
      this.athletes.set(id, athlete);
    }
    return athlete;
  }

  /** Replays every athlete (in order of first appearance). Call once: it consumes the lines added. */
  run(): ReplayResult {
    const alerts: ReplayAlert[] = [];
    let runs = 0;
    const athletes = this.athletes.size;
    for (const [id, athlete] of this.athletes) {
      const replayed = replayAthlete(athlete, this.thresholds, this.problems);
      for (const alert of replayed.alerts) alerts.push(alert);
      runs += replayed.runs;
      this.athletes.delete(id); // done with it: let a long log's memory go as the replay proceeds
    }
    this.problems.sort((a, b) => a.line - b.line);
    return { alerts, problems: this.problems, athletes, runs };
  }
}

const NO_PAIN: LoggedPain[] = [];

interface TrackedAlert extends AlertSnapshot {
  resolvedDay: number | null;
}

function replayAthlete(athlete: AthleteLog, thresholds: Thresholds, problems: LineProblem[]): { alerts: ReplayAlert[]; runs: number } {
  const calendar = new LocalCalendar(athlete.timezone ?? 'UTC');
  const painByRun = attachPain(athlete, problems);
  const shoes = initialShoes(athlete);
  const loggedRuns = [];
  for (const { run, line, start } of athlete.runs.values()) {
    const startMs = typeof start === 'number' ? start : runStartMs(start, calendar);
    if (startMs === null) {
      problems.push({ line, error: `run: start "${start}" does not exist in ${calendar.timezone}` });
      continue;
    }
    if (run.shoeId && !shoes.has(run.shoeId))
      shoes.set(run.shoeId, { id: run.shoeId, name: run.shoeId, distanceM: 0, distanceIsLowerBound: true });
    loggedRuns.push(toLoggedRunAt(run, startMs, calendar, painByRun.get(run.id) ?? NO_PAIN));
  }
  const log = new TrainingLog(loggedRuns);
  if (!log.runs.length) return { alerts: [], runs: 0 };
  return { alerts: simulate(athlete, log, shoes, thresholds), runs: log.runs.length };
}

function attachPain(athlete: AthleteLog, problems: LineProblem[]): Map<string, LoggedPain[]> {
  const painByRun = new Map<string, LoggedPain[]>();
  for (const { line, pain } of athlete.pains) {
    if (!athlete.runs.has(pain.run)) {
      problems.push({ line, error: `pain: run "${pain.run}" of athlete "${athlete.id}" is not in the file` });
      continue;
    }
    const hasPain = pain.has_pain ?? pain.severity !== 0;
    const list = painByRun.get(pain.run) ?? [];
    list.push(toLoggedPain({ hasPain, location: pain.location, onsetM: pain.onset_m, onsetS: pain.onset_s }));
    painByRun.set(pain.run, list);
  }
  return painByRun;
}

/** A shoe's distance_m is what it had before the first run in the file; without it we count from 0 and say "at least". */
function initialShoes(athlete: AthleteLog): Map<string, EngineShoe> {
  const shoes = new Map<string, EngineShoe>();
  for (const shoe of athlete.shoes.values()) {
    shoes.set(shoe.id, {
      id: shoe.id,
      name: shoe.name || shoe.id,
      distanceM: shoe.distance_m ?? 0,
      distanceIsLowerBound: shoe.distance_m === null || shoe.distance_m === undefined,
      retireThresholdM: shoe.retire_m ?? null,
      retired: shoe.retired ?? false,
    });
  }
  return shoes;
}

function simulate(athlete: AthleteLog, log: TrainingLog, shoes: Map<string, EngineShoe>, thresholds: Thresholds): ReplayAlert[] {
  const emitted: ReplayAlert[] = [];
  const alerts: TrackedAlert[] = [];
  const units = athlete.units ?? 'km';
  const historyStartDay = log.runs[0].day;
  const lastDay = log.runs[log.runs.length - 1].day;
  const keepResolvedDays = lookbackDays(thresholds);
  let lastEmailDay: number | null = null;
  let nextRun = 0;
  for (let today = historyStartDay; today <= lastDay; today++) {
    for (; nextRun < log.runs.length && log.runs[nextRun].day <= today; nextRun++) {
      const shoe = log.runs[nextRun].shoeId ? shoes.get(log.runs[nextRun].shoeId!) : undefined;
      if (shoe) shoe.distanceM = (shoe.distanceM ?? 0) + log.runs[nextRun].distanceM;
    }
    const evaluation = evaluateDay({ log, today, lastKnownDay: today, historyStartDay, shoes, thresholds, units }, { notes: false });
    // With no condition and no open alert there is nothing to decide (resolved alerts only matter to conditions).
    if (!evaluation.conditions.length && !alerts.some((alert) => alert.state === 'open')) continue;
    const decision = decideLifecycle({
      today,
      conditions: evaluation.conditions,
      judgedRules: evaluation.judgedRules,
      alerts,
      lastEmailDay,
      thresholds,
    });
    const notified = apply(decision, alerts, today).sort(
      (a, b) => RULE_ORDER.get(a.rule)! - RULE_ORDER.get(b.rule)! || a.dedupeKey.localeCompare(b.dedupeKey),
    );
    for (const condition of notified) {
      emitted.push({
        athlete: athlete.id,
        date: dateOfDay(today),
        rule: condition.rule,
        severity: condition.severity,
        message: condition.message.headline,
        facts: condition.facts,
      });
      lastEmailDay = today;
    }
    forgetOldResolved(alerts, today - keepResolvedDays);
  }
  return emitted;
}

let nextAlertId = 0;

/** Applies a lifecycle decision to the replay's alert list; returns the conditions emailed today, in decision order. */
function apply(decision: LifecycleDecision, alerts: TrackedAlert[], today: number): Condition[] {
  const notified: Condition[] = [];
  const byId = new Map(alerts.map((alert) => [alert.id, alert]));
  for (const id of decision.resolve) {
    const alert = byId.get(id)!;
    alert.state = 'resolved';
    alert.resolvedDay = today;
  }
  for (const { alertId, condition, notify } of decision.refresh) {
    const alert = byId.get(alertId)!;
    alert.severity = condition.severity;
    if (notify) notified.push(markNotified(alert, condition, today));
  }
  for (const { condition, notify } of decision.open) {
    const alert: TrackedAlert = {
      id: `a${++nextAlertId}`,
      rule: condition.rule,
      dedupeKey: condition.dedupeKey,
      state: 'open',
      severity: condition.severity,
      lastNotifyDay: null,
      lastNotifySeverity: null,
      resolvedDay: null,
    };
    alerts.push(alert);
    if (notify) notified.push(markNotified(alert, condition, today));
  }
  return notified;
}

function markNotified(alert: TrackedAlert, condition: Condition, today: number): Condition {
  alert.lastNotifyDay = today;
  alert.lastNotifySeverity = condition.severity;
  return condition;
}

function forgetOldResolved(alerts: TrackedAlert[], before: number): void {
  for (let index = alerts.length - 1; index >= 0; index--) {
    const alert = alerts[index];
    if (alert.state === 'resolved' && alert.resolvedDay! < before) alerts.splice(index, 1);
  }
}
