/**
 * cadence-drop — the mean step rate of the last 3 runs against the median step rate of runs at a
 * similar pace in the 6 weeks before them. A falling cadence at the same pace means longer, heavier
 * strides, which is what fatigue and a sore leg tend to do.
 *
 * Evidence: Heiderscheit et al., Med Sci Sports Exerc 2011 (45 recreational runners, treadmill,
 * same speed): at +5 % and +10 % step rate the knee absorbed less energy, the hip at +10 %; at −10 %
 * every joint absorbed substantially more. A 5 % drop as an alert is a rule of thumb drawn from
 * that, not a validated injury predictor.
 *
 * Defaults: caution when the recent mean is at least 5 % lower. Pace is "similar" within ±10 %; each
 * recent run needs 3 such runs in its baseline. The latest run must be within 21 days.
 */
import type { LoggedRun } from '../training-log';
import { dateOfDay } from '../calendar';
import { mean, median, round } from '../statistics';
import { clear, condition, EPSILON, insufficient, MAX_STALE_DAYS, Rule, RuleContext, RuleResult, triggered } from './rule';
import { cadenceDropPresentation } from './cadence-drop.presentation';

const RECENT_WITHIN_DAYS = 21;

/** What the last runs up to a given run say; it depends only on that run, so the replay computes it once. */
type Comparison =
  | { recent: LoggedRun[]; problem: string }
  /** bound: baselineSpm is only the highest baseline cadence, enough to tell there is no drop. */
  | { recent: LoggedRun[]; recentSpm: number; baselineSpm: number; drop: number; bound: boolean };

export const cadenceDrop: Rule = {
  id: 'cadence-drop',
  evaluate(context: RuleContext): RuleResult {
    const settings = context.thresholds['cadence-drop'];
    if (context.today - context.lastKnownDay > MAX_STALE_DAYS)
      return insufficient(() => `no synced data for the last ${context.today - context.lastKnownDay} days`);
    const endIndex = context.log.firstIndexFrom(context.lastKnownDay + 1);
    const comparison = context.log.memo(settings, endIndex, compare, context);
    const { recent } = comparison;
    if (recent.length < settings.recentRuns || recent[0].day < context.today - RECENT_WITHIN_DAYS + 1) {
      return clear(() => `fewer than ${settings.recentRuns} runs with cadence in the last ${RECENT_WITHIN_DAYS} days`);
    }
    if ('problem' in comparison) return insufficient(comparison.problem);
    const { recentSpm, baselineSpm, drop, bound } = comparison;
    const reason = () =>
      bound
        ? `last ${recent.length} runs ${round(recentSpm, 1)} spm: within ${round(settings.caution * 100, 1)} % of the highest cadence of the ${settings.baselineDays} days before (${round(baselineSpm, 1)} spm)`
        : `last ${recent.length} runs ${round(recentSpm, 1)} spm vs ${round(baselineSpm, 1)} spm at similar pace (${round(drop * 100, 1)} % lower)`;
    if (bound || drop < settings.caution - EPSILON) return clear(reason);
    return triggered(
      [
        condition(
          {
            rule: 'cadence-drop',
            severity: 'caution',
            dedupeKey: 'cadence',
            facts: {
              recentCadenceSpm: round(recentSpm, 1),
              baselineCadenceSpm: round(baselineSpm, 1),
              dropFraction: round(drop, 3),
              runIds: recent.map((run) => run.id),
              firstRunDate: dateOfDay(recent[0].day),
              lastRunDate: dateOfDay(recent[recent.length - 1].day),
            },
          },
          () => cadenceDropPresentation.message({ runs: recent.length, recentSpm, baselineSpm, drop }, context.units),
        ),
      ],
      reason,
    );
  },
  // The latest runs change with each run; the recent ones age out RECENT_WITHIN_DAYS after the first of them.
  // A condition names the runs compared, never the day.
  changes: () => ({ runs: 'all', afterRun: [0, RECENT_WITHIN_DAYS], steady: true }),
};

/** The last `recentRuns` runs with cadence before `endIndex` against the baseline before them. */
function compare(context: RuleContext, endIndex: number): Comparison {
  const settings = context.thresholds['cadence-drop'];
  const recent = lastRunsWithCadence(context, settings.recentRuns, endIndex);
  if (recent.length < settings.recentRuns) return { recent, problem: 'not enough runs with cadence' };
  const start = context.log.firstIndexFrom(recent[0].day - settings.baselineDays);
  const end = context.log.firstIndexFrom(recent[0].day);
  const recentSpm = mean(recent.map((run) => run.cadenceSpm!));
  // Every median is at most the highest baseline cadence: if even that is not 5 % above the recent
  // mean, there is no drop, whatever the paces (this skips the work on almost every day, and so
  // the baseline is only listed when it is needed).
  let highest = 0;
  let withCadence = 0;
  for (let index = start; index < end; index++) {
    const run = context.log.runs[index];
    if (!hasCadence(run)) continue;
    withCadence += 1;
    if (run.cadenceSpm! > highest) highest = run.cadenceSpm!;
  }
  if (withCadence >= settings.minComparableRuns && recentSpm > highest * (1 - settings.caution) + EPSILON) {
    return { recent, recentSpm, baselineSpm: highest, drop: 1 - recentSpm / highest, bound: true };
  }
  const baseline = context.log.runs.slice(start, end).filter(hasCadence);
  const baselinePaces = baseline.map(pace);
  const medians: number[] = [];
  for (const run of recent) {
    const runPace = pace(run);
    const comparable: number[] = [];
    for (let index = 0; index < baseline.length; index++) {
      if (Math.abs(baselinePaces[index] / runPace - 1) <= settings.paceTolerance + EPSILON) comparable.push(baseline[index].cadenceSpm!);
    }
    if (comparable.length < settings.minComparableRuns) {
      const found = comparable.length;
      return {
        recent,
        problem: `run ${run.id}: ${found} runs at a similar pace in the ${settings.baselineDays} days before (needs ${settings.minComparableRuns})`,
      };
    }
    medians.push(median(comparable));
  }
  const baselineSpm = mean(medians);
  return { recent, recentSpm, baselineSpm, drop: 1 - recentSpm / baselineSpm, bound: false };
}

function pace(run: LoggedRun): number {
  return run.durationS! / run.distanceM;
}

function hasCadence(run: LoggedRun): boolean {
  return run.cadenceSpm !== null && run.cadenceSpm > 0 && run.durationS !== null && run.durationS > 0 && run.distanceM > 0;
}

/** The last `count` runs with cadence before `endIndex` (within 21 days of the latest), oldest first. */
function lastRunsWithCadence(context: RuleContext, count: number, endIndex: number): LoggedRun[] {
  const recent: LoggedRun[] = [];
  const runs = context.log.runs;
  const from = endIndex > 0 ? runs[endIndex - 1].day - RECENT_WITHIN_DAYS + 1 : 0;
  for (let index = endIndex - 1; index >= 0 && recent.length < count && runs[index].day >= from; index--) {
    if (hasCadence(runs[index])) recent.unshift(runs[index]);
  }
  return recent;
}
