/**
 * monotony — Foster's training monotony: the mean of the last 7 days' daily distance divided by
 * its standard deviation (rest days count as 0), while the week's load is above the 8-week median.
 *
 * Evidence: Foster, Med Sci Sports Exerc 1998 (25 experienced athletes): most illnesses came when
 * an athlete exceeded individual thresholds of training strain (weekly load × monotony, monotony =
 * daily mean ÷ standard deviation). Developed on session-RPE load, applied here to distance; the
 * cut-off of 2.0 is the one commonly used with Foster's method, a rule of thumb rather than a
 * validated injury threshold.
 *
 * Defaults: info when monotony is above 2.0 and the last 7 days are above the median of the last
 * 8 weeks (the current week included). Needs 8 weeks of history.
 */
import { median, round } from '../statistics';
import { clear, condition, EPSILON, insufficient, loadWindowProblem, Rule, RuleContext, RuleResult, triggered, windowFacts } from './rule';
import { monotonyPresentation } from './monotony.presentation';

export const monotony: Rule = {
  id: 'monotony',
  evaluate(context: RuleContext): RuleResult {
    const settings = context.thresholds.monotony;
    const problem = loadWindowProblem(context, settings.medianWeeks * 7);
    if (problem) return insufficient(problem);
    const end = context.lastKnownDay;
    // mean() and populationSd() of the 7 daily distances, without a list (the replay asks every day).
    let total = 0;
    for (let day = end - 6; day <= end; day++) total += context.log.distanceBetween(day, day);
    const dailyMean = total / 7;
    if (dailyMean === 0) return clear('no running in the last 7 days');
    let squares = 0;
    for (let day = end - 6; day <= end; day++) squares += (context.log.distanceBetween(day, day) - dailyMean) ** 2;
    const sd = Math.sqrt(squares / 7);
    const value = sd === 0 ? Infinity : dailyMean / sd;
    const weeklyM = dailyMean * 7;
    if (value <= settings.info + EPSILON) return clear(() => `monotony ${round(value, 2)}, not above ${settings.info}`);
    const daily = context.log.dailyDistances(end - 6, end);
    const weeks = Array.from({ length: settings.medianWeeks }, (_, week) =>
      context.log.distanceBetween(end - 7 * week - 6, end - 7 * week),
    );
    const medianWeeklyM = median(weeks);
    const reason = () =>
      `monotony ${Number.isFinite(value) ? round(value, 2) : '∞'}, week ${round(weeklyM / 1000, 1)} km vs median ${round(medianWeeklyM / 1000, 1)} km`;
    if (weeklyM <= medianWeeklyM + EPSILON) return clear(reason);
    const runDays = daily.filter((distance) => distance > 0).length;
    const units = context.units;
    const facts = {
      monotony: Number.isFinite(value) ? round(value, 2) : null,
      weeklyM: round(weeklyM, 1),
      medianWeeklyM: round(medianWeeklyM, 1),
      runDays,
      dailyM: daily.map((distance) => round(distance, 1)),
      ...windowFacts(end - 6, end),
    };
    return triggered(
      [
        condition({ rule: 'monotony', severity: 'info', dedupeKey: 'monotony', facts }, () =>
          monotonyPresentation.message({ runDays, monotony: value, weeklyM, medianWeeklyM }, units),
        ),
      ],
      reason,
    );
  },
  // Every day of the last 7 (their order counts in the sums) and the edges of the weeks for the median.
  changes: (thresholds) => {
    const weeks = Array.from({ length: thresholds.monotony.medianWeeks }, (_, week) => 7 * (week + 1));
    return { runs: 'all', afterRun: [0, 1, 2, 3, 4, 5, 6, ...weeks], historyDays: thresholds.monotony.medianWeeks * 7 };
  },
};
