import type { AlertEmailLevel, DistanceUnit, RuleId, Severity } from '@deload/domain';
import { dateOfDay, LocalCalendar } from '../calendar';
import { evaluateDay, finiteOrNull, positiveOrNull, toLoggedPain } from '../engine';
import { ChangedRules } from './changed-rules';
import type { RuleContext } from '../rules/rule';
import { higherSeverity } from '../email-policy';
import { AlertSnapshot, decideLifecycle, EmailMark, LifecycleDecision, lookbackDays } from '../lifecycle';
import { DEFAULT_THRESHOLDS, Thresholds } from '../thresholds';
import { LoggedPain, LoggedRun, TrainingLog } from '../training-log';
import type { Condition, EngineShoe, Facts } from '../types';
import { instantOf, parseReplayLineInPlace, PainLine, ReplayLine, RunLine, runStartMs, ShoeLine } from './replay-lines';

/**
 * One line of `deload replay` output: an email that would have been sent. `rule`, `severity`,
 * `message` and `facts` are the signal that leads it; `also` the others it carries ("also this
 * week"), present only when there are some.
 */
export interface ReplayAlert {
  athlete: string;
  /** The runner's local date. */
  date: string;
  rule: RuleId;
  severity: Severity;
  message: string;
  facts: Facts;
  also?: { rule: RuleId; severity: Severity; message: string }[];
}

/** One signal (an alert of the lifecycle: a rule's episode) and what became of it. */
export interface ReplaySignal {
  athlete: string;
  rule: RuleId;
  dedupeKey: string;
  /** Local date it opened. */
  opened: string;
  /** The highest severity it reached. */
  severity: Severity;
  /** The first email it was in; null: weekly summary and dashboard only. */
  firstEmail: { date: string; role: 'lead' | 'also'; leadRule: RuleId } | null;
  /** The highest severity at which it was in an email; null: never. */
  emailedSeverity: Severity | null;
}

/** Signals of one rule: in an email (leading it or under "also this week"), or only in the weekly summary. */
export interface SignalCount {
  emailed: number;
  summaryOnly: number;
}

/** `deload replay --stats`: one athlete's figures. */
export interface AthleteStats {
  athlete: string;
  runs: number;
  /** Local dates of the first and last run. */
  firstDate: string;
  lastDate: string;
  /** Months covered from the first run to the last (days ÷ 30.44). */
  months: number;
  emails: number;
  signals: Partial<Record<RuleId, SignalCount>>;
}

export interface ReplayOptions {
  /** The runners' alert email setting (default `all`). */
  level?: AlertEmailLevel;
  /** Collect every signal in ReplayResult.signals (the bench checks them). */
  signals?: boolean;
  /**
   * Replay each athlete as soon as the next one starts and let its runs go, so memory stays that of
   * one athlete however long the log. Only right for a log grouped by athlete: when an athlete who
   * was already replayed appears again, the replay stops reading and `ungrouped` says so; read the
   * log again without this option.
   */
  streamAthletes?: boolean;
  /** Run every rule on every day, not only on the days its result can change (the test compares both). */
  everyDay?: boolean;
}

export interface LineProblem {
  line: number;
  error: string;
}

export interface ReplayResult {
  /** The emails, in order of athlete and date. */
  alerts: ReplayAlert[];
  problems: LineProblem[];
  athletes: number;
  runs: number;
  /** Per athlete with runs, in order of first appearance. */
  stats: AthleteStats[];
  /** Every signal, when ReplayOptions.signals asked for them. */
  signals: ReplaySignal[];
}

/**
 * A run as the rules read it, made once from its line (a long log holds hundreds of thousands);
 * its local day (and its instant, for a wall-clock start) is set when its athlete is replayed.
 */
interface PendingRun extends LoggedRun {
  line: number;
  /** The start as written when it has no offset: wall-clock time in the athlete's zone. */
  wallClock: string | null;
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
 * if live — the engine at the end of every local day from the first run to the last, the alert
 * lifecycle and the email policy (email-policy.ts) deciding which emails would have been sent.
 */
export class Replay {
  private readonly athletes = new Map<string, AthleteLog>();
  private readonly problems: LineProblem[] = [];
  private lineNumber = 0;
  private readonly result: ReplayResult = { alerts: [], problems: this.problems, athletes: 0, runs: 0, stats: [], signals: [] };
  /** Athletes already replayed (streamAthletes). */
  private readonly replayed = new Set<string>();
  private current: AthleteLog | null = null;
  /** True when streamAthletes met an athlete again after replaying them: the log is not grouped. */
  ungrouped = false;

  constructor(
    private readonly thresholds: Thresholds = DEFAULT_THRESHOLDS,
    private readonly options: ReplayOptions = {},
  ) {}

  /** Adds the next line of the file (line numbers count from 1). */
  addLine(raw: string): void {
    if (this.ungrouped) return;
    this.lineNumber += 1;
    const parsed = parseReplayLineInPlace(raw);
    if (!parsed.ok) this.problems.push({ line: this.lineNumber, error: parsed.error });
    else if (parsed.line) this.addParsed(parsed.line, this.lineNumber);
  }

  private addParsed(line: ReplayLine, number: number): void {
    if (this.options.streamAthletes && !this.streamTo(line.athlete)) return;
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
        athlete.runs.set(line.id, pendingRun(line, number));
        return null;
      case 'pain':
        athlete.pains.push({ line: number, pain: line });
        return null;
    }
  }

  /** streamAthletes: replays the previous athlete when another starts; false when the log turns out not to be grouped. */
  private streamTo(id: string): boolean {
    if (this.current?.id === id) return true;
    if (this.replayed.has(id)) {
      this.ungrouped = true;
      return false;
    }
    if (this.current) this.replayNext(this.current);
    this.current = this.athlete(id);
    return true;
  }

  private replayNext(athlete: AthleteLog): void {
    this.result.athletes += 1;
    replayAthlete(
      athlete,
      {
        thresholds: this.thresholds,
        level: this.options.level ?? 'all',
        keepSignals: !!this.options.signals,
        everyDay: !!this.options.everyDay,
      },
      this.result,
    );
    this.athletes.delete(athlete.id); // done with it: let a long log's memory go as the replay proceeds
    if (this.options.streamAthletes) this.replayed.add(athlete.id);
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
    for (const athlete of this.athletes.values()) this.replayNext(athlete);
    this.problems.sort((a, b) => a.line - b.line);
    return this.result;
  }
}

const NO_PAIN: LoggedPain[] = [];

/** What engine.toLoggedRunAt makes of a run, from its line; `day` and `pain` are filled in by replayAthlete. */
function pendingRun(line: RunLine, number: number): PendingRun {
  const instant = instantOf(line.start);
  return {
    id: line.id,
    startMs: instant ?? 0,
    day: 0,
    distanceM: line.distance_m,
    durationS: positiveOrNull(line.moving_s) ?? positiveOrNull(line.elapsed_s),
    elevationLossM: finiteOrNull(line.elevation_loss_m),
    cadenceSpm: positiveOrNull(line.cadence_spm),
    shoeId: line.shoe ?? null,
    pain: NO_PAIN,
    line: number,
    wallClock: instant === null ? line.start : null,
  };
}
const MONTH_DAYS = 365.25 / 12;

interface ReplaySettings {
  thresholds: Thresholds;
  level: AlertEmailLevel;
  keepSignals: boolean;
  everyDay: boolean;
}

interface TrackedAlert extends AlertSnapshot {
  resolvedDay: number | null;
  signal: ReplaySignal;
}

function replayAthlete(athlete: AthleteLog, settings: ReplaySettings, result: ReplayResult): void {
  const calendar = new LocalCalendar(athlete.timezone ?? 'UTC');
  const painByRun = attachPain(athlete, result.problems);
  const shoes = initialShoes(athlete);
  const loggedRuns: LoggedRun[] = [];
  for (const run of athlete.runs.values()) {
    if (run.wallClock !== null) {
      const startMs = runStartMs(run.wallClock, calendar);
      if (startMs === null) {
        result.problems.push({ line: run.line, error: `run: start "${run.wallClock}" does not exist in ${calendar.timezone}` });
        continue;
      }
      run.startMs = startMs;
    }
    if (run.shoeId && !shoes.has(run.shoeId))
      shoes.set(run.shoeId, { id: run.shoeId, name: run.shoeId, distanceM: 0, distanceIsLowerBound: true });
    run.day = calendar.dayOf(run.startMs);
    run.pain = painByRun.get(run.id) ?? NO_PAIN;
    loggedRuns.push(run);
  }
  const log = new TrainingLog(loggedRuns);
  if (!log.runs.length) return;
  const emailsBefore = result.alerts.length;
  const signals = simulate(athlete, log, shoes, settings, result.alerts);
  const [first, last] = [log.runs[0].day, log.runs[log.runs.length - 1].day];
  const stats: AthleteStats = {
    athlete: athlete.id,
    runs: log.runs.length,
    firstDate: dateOfDay(first),
    lastDate: dateOfDay(last),
    months: (last - first + 1) / MONTH_DAYS,
    emails: result.alerts.length - emailsBefore,
    signals: {},
  };
  for (const signal of signals) {
    const count = (stats.signals[signal.rule] ??= { emailed: 0, summaryOnly: 0 });
    if (signal.firstEmail) count.emailed += 1;
    else count.summaryOnly += 1;
    if (settings.keepSignals) result.signals.push(signal);
  }
  result.runs += log.runs.length;
  result.stats.push(stats);
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

/** Replays one athlete day by day; appends the emails to `emails` and returns every signal. */
function simulate(
  athlete: AthleteLog,
  log: TrainingLog,
  shoes: Map<string, EngineShoe>,
  settings: ReplaySettings,
  emails: ReplayAlert[],
): ReplaySignal[] {
  const { thresholds, level } = settings;
  const alerts: TrackedAlert[] = [];
  const signals: ReplaySignal[] = [];
  const units = athlete.units ?? 'km';
  const historyStartDay = log.runs[0].day;
  const lastDay = log.runs[log.runs.length - 1].day;
  const keepResolvedDays = lookbackDays(thresholds);
  let lastEmailDay: number | null = null;
  let nextRun = 0;
  const rules = settings.everyDay
    ? { evaluate: (context: RuleContext) => evaluateDay(context, { notes: false }) }
    : new ChangedRules(log, thresholds);
  for (let today = historyStartDay; today <= lastDay; today++) {
    for (; nextRun < log.runs.length && log.runs[nextRun].day <= today; nextRun++) {
      const shoe = log.runs[nextRun].shoeId ? shoes.get(log.runs[nextRun].shoeId!) : undefined;
      if (shoe) shoe.distanceM = (shoe.distanceM ?? 0) + log.runs[nextRun].distanceM;
    }
    const evaluation = rules.evaluate({ log, today, lastKnownDay: today, historyStartDay, shoes, thresholds, units });
    // With no condition and no open alert there is nothing to decide (resolved alerts only matter to conditions).
    if (!evaluation.conditions.length && !hasOpen(alerts)) continue;
    const decision = decideLifecycle({
      today,
      conditions: evaluation.conditions,
      judgedRules: evaluation.judgedRules,
      alerts,
      lastEmailDay,
      thresholds,
      level,
    });
    const email = apply(decision, alerts, today, (alert) => {
      alert.signal = newSignal(athlete.id, alert, today);
      signals.push(alert.signal);
    });
    if (email) {
      emails.push(emailLine(athlete.id, today, email));
      lastEmailDay = today;
    }
    forgetOldResolved(alerts, today - keepResolvedDays);
  }
  return signals;
}

function newSignal(athlete: string, alert: AlertSnapshot, today: number): ReplaySignal {
  return {
    athlete,
    rule: alert.rule,
    dedupeKey: alert.dedupeKey,
    opened: dateOfDay(today),
    severity: alert.severity,
    firstEmail: null,
    emailedSeverity: null,
  };
}

function emailLine(athlete: string, today: number, email: { lead: Condition; also: Condition[] }): ReplayAlert {
  const { lead, also } = email;
  const line: ReplayAlert = {
    athlete,
    date: dateOfDay(today),
    rule: lead.rule,
    severity: lead.severity,
    message: lead.message.headline,
    facts: lead.facts,
  };
  if (also.length)
    line.also = also.map((condition) => ({ rule: condition.rule, severity: condition.severity, message: condition.message.headline }));
  return line;
}

let nextAlertId = 0;

/** Applies a lifecycle decision to the replay's alert list; returns today's email, if any. */
function apply(
  decision: LifecycleDecision,
  alerts: TrackedAlert[],
  today: number,
  opened: (alert: TrackedAlert) => void,
): { lead: Condition; also: Condition[] } | null {
  let lead: { condition: Condition; alert: TrackedAlert } | null = null;
  const also: { condition: Condition; alert: TrackedAlert; position: number }[] = [];
  // A runner has a handful of alerts: a scan, not a map made every day.
  const byId = (id: string) => alerts.find((alert) => alert.id === id)!;
  for (const id of decision.resolve) {
    const alert = byId(id);
    alert.state = 'resolved';
    alert.resolvedDay = today;
  }
  const place = (alert: TrackedAlert, condition: Condition, email: EmailMark | null) => {
    alert.severity = condition.severity;
    alert.signal.severity = higherSeverity(condition.severity, alert.signal.severity);
    if (!email) return;
    alert.coveredDay = today;
    alert.coveredSeverity = email.coveredSeverity;
    alert.episodeStart ||= email.startsEpisode;
    if (email.role === 'lead') lead = { condition, alert };
    else if (email.role === 'also') also.push({ condition, alert, position: email.position });
  };
  for (const { alertId, condition, email } of decision.refresh) place(byId(alertId), condition, email);
  for (const { condition, email } of decision.open) {
    const alert: TrackedAlert = {
      id: `a${++nextAlertId}`,
      rule: condition.rule,
      dedupeKey: condition.dedupeKey,
      state: 'open',
      severity: condition.severity,
      firstSeenDay: today,
      coveredDay: null,
      coveredSeverity: null,
      episodeStart: false,
      resolvedDay: null,
      signal: null!, // set by opened()
    };
    opened(alert);
    alerts.push(alert);
    place(alert, condition, email);
  }
  if (!lead) return null;
  const led: { condition: Condition; alert: TrackedAlert } = lead;
  also.sort((a, b) => a.position - b.position);
  for (const { condition, alert } of [led, ...also]) {
    alert.signal.firstEmail ??= { date: dateOfDay(today), role: alert === led.alert ? 'lead' : 'also', leadRule: led.condition.rule };
    alert.signal.emailedSeverity = higherSeverity(condition.severity, alert.signal.emailedSeverity);
  }
  return { lead: led.condition, also: also.map((entry) => entry.condition) };
}

function hasOpen(alerts: readonly TrackedAlert[]): boolean {
  for (const alert of alerts) if (alert.state === 'open') return true;
  return false;
}

function forgetOldResolved(alerts: TrackedAlert[], before: number): void {
  for (let index = alerts.length - 1; index >= 0; index--) {
    const alert = alerts[index];
    if (alert.state === 'resolved' && alert.resolvedDay! < before) alerts.splice(index, 1);
  }
}
