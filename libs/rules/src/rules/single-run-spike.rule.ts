/**
 * single-run-spike — one run much longer than the longest run of the previous 30 days.
 *
 * Evidence: Frandsen et al., Br J Sports Med 2025 (5,205 runners with Garmin watches, 18 months):
 * compared with the longest run of the previous 30 days, a single session > 10–30 % longer came
 * with an injury hazard rate ratio of 1.64, > 30–100 % with 1.52 and > 100 % with 2.28. Observational.
 *
 * Defaults: caution when the ratio is above 1.10, high above 2.00; the runner needs 30 days of
 * history before the run. A run speaks for 7 days (its episode), then clears.
 */
import type { Condition } from '../types';
import type { LoggedRun } from '../training-log';
import { dateOfDay } from '../calendar';
import { round } from '../statistics';
import { clear, condition, EPSILON, Rule, RuleContext, RuleResult, triggered } from './rule';
import { singleRunSpikePresentation } from './single-run-spike.presentation';

const LOOKBACK_DAYS = 30;
const EPISODE_DAYS = 7;

/** A run's verdict, which never changes once the run is known (so the replay computes it once). */
type Verdict = { run: LoggedRun; longestM: number; ratio: number } | { run: LoggedRun; problem: string };

export const singleRunSpike: Rule = {
  id: 'single-run-spike',
  evaluate(context: RuleContext): RuleResult {
    const settings = context.thresholds['single-run-spike'];
    // Two lookups, not indexRange: the replay runs this ~10⁶ times and a pair is an allocation.
    const start = context.log.firstIndexFrom(context.today - EPISODE_DAYS + 1);
    const end = context.log.firstIndexFrom(Math.min(context.today, context.lastKnownDay) + 1);
    if (start === end) return clear('no run in the last 7 days');
    let conditions: Condition[] | null = null;
    for (let index = start; index < end; index++) {
      const verdict = context.log.memo(settings, index, judgeRun, context);
      if (!('ratio' in verdict)) continue;
      const severity = verdict.ratio > settings.high + EPSILON ? 'high' : verdict.ratio > settings.caution + EPSILON ? 'caution' : null;
      if (severity) (conditions ??= []).push(spikeCondition(context, verdict.run, verdict.longestM, verdict.ratio, severity));
    }
    const reason = () =>
      Array.from({ length: end - start }, (_, offset) => context.log.memo(settings, start + offset, judgeRun, context))
        .map(
          (verdict) =>
            `run ${verdict.run.id}: ${'ratio' in verdict ? `${round(verdict.ratio, 3)} × the longest of the previous ${LOOKBACK_DAYS} days` : verdict.problem}`,
        )
        .join('; ');
    // Episodes are per run and end 7 days after it, so a quiet rule is always a verdict.
    return conditions ? triggered(conditions, reason) : clear(reason);
  },
  // A condition is a run's verdict: it holds unchanged through the run's episode.
  changes: () => ({ runs: 'all', afterRun: [0, EPISODE_DAYS], steady: true }),
};

function judgeRun(context: RuleContext, index: number): Verdict {
  const settings = context.thresholds['single-run-spike'];
  const run = context.log.runs[index];
  const history = context.historyStartDay === null ? 0 : run.day - context.historyStartDay;
  if (history < settings.minHistoryDays)
    return { run, problem: `needs ${settings.minHistoryDays} days of history before it (has ${history})` };
  const longestM = longestBefore(context, index);
  if (longestM === 0) return { run, problem: `no run in the ${LOOKBACK_DAYS} days before` };
  return { run, longestM, ratio: run.distanceM / longestM };
}

/** Longest run in the 30 days before run `index` (earlier the same day counts). */
function longestBefore(context: RuleContext, index: number): number {
  const runs = context.log.runs;
  const firstDay = runs[index].day - LOOKBACK_DAYS;
  let longest = 0;
  for (let earlier = index - 1; earlier >= 0 && runs[earlier].day >= firstDay; earlier--) {
    if (runs[earlier].distanceM > longest) longest = runs[earlier].distanceM;
  }
  return longest;
}

function spikeCondition(context: RuleContext, run: LoggedRun, longestM: number, ratio: number, severity: 'caution' | 'high'): Condition {
  return condition(
    {
      rule: 'single-run-spike',
      severity,
      dedupeKey: `run-${run.id}`,
      facts: {
        runId: run.id,
        runDate: dateOfDay(run.day),
        distanceM: round(run.distanceM, 1),
        previousLongestM: round(longestM, 1),
        ratio: round(ratio, 3),
        lookbackDays: LOOKBACK_DAYS,
      },
    },
    () =>
      singleRunSpikePresentation.message(
        { run, longestM, ratio, severity, weekM: context.log.distanceBetween(run.day - 6, run.day) },
        context.units,
      ),
  );
}
