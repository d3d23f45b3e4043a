/**
 * weekly-increase — the last 7 days' distance against the mean week of the 28 days before them
 * (uncoupled: the acute week is not part of its own baseline).
 *
 * Evidence: Nielsen et al., J Orthop Sports Phys Ther 2014 (874 novice runners, 1 year): those who
 * progressed weekly distance by more than 30 % (over 2 weeks) had a higher rate of distance-related
 * injuries, ITBS among them (hazard ratio 1.59, 95 % CI 0.96–2.66: borderline). Frandsen et al. 2025
 * (5,205 runners) found no such link for weekly spikes, so this rule is the weaker of the two load
 * rules. The "10 % rule" is a rule of thumb, not either finding.
 *
 * Defaults: caution above 1.30 when the baseline is at least 10 km a week. Needs 35 days of
 * history; the window ends at the last synced day (unsynced days are unknown, not rest).
 */
import { round } from '../statistics';
import {
  ACUTE_DAYS,
  acuteAgainstBaseline,
  clear,
  condition,
  EPSILON,
  insufficient,
  LOAD_WINDOW_DAYS,
  loadWindowProblem,
  triggered,
  windowFacts,
} from './rule';
import type { Rule, RuleContext, RuleResult } from './rule';
import { weeklyIncreasePresentation } from './weekly-increase.presentation';

export const weeklyIncrease: Rule = {
  id: 'weekly-increase',
  evaluate(context: RuleContext): RuleResult {
    const settings = context.thresholds['weekly-increase'];
    const problem = loadWindowProblem(context, LOAD_WINDOW_DAYS);
    if (problem) return insufficient(problem);
    const window = acuteAgainstBaseline(context, (from, to) => context.log.distanceBetween(from, to));
    const { acute: acuteM, baselineWeekly: baselineWeeklyM, acuteStart, end } = window;
    if (baselineWeeklyM < settings.minBaseWeeklyM) {
      return clear(
        () =>
          `baseline ${round(baselineWeeklyM / 1000, 1)} km a week is below ${round(settings.minBaseWeeklyM / 1000, 1)} km: too small to compare`,
      );
    }
    const ratio = acuteM / baselineWeeklyM;
    const reason = () =>
      `last 7 days ${round(acuteM / 1000, 1)} km ÷ baseline ${round(baselineWeeklyM / 1000, 1)} km a week = ${round(ratio, 3)}`;
    if (ratio <= settings.caution + EPSILON) return clear(() => `${reason()}, not above ${settings.caution}`);
    const units = context.units;
    const facts = {
      acuteM: round(acuteM, 1),
      baselineWeeklyM: round(baselineWeeklyM, 1),
      ratio: round(ratio, 3),
      ...windowFacts(acuteStart, end),
    };
    return triggered(
      [
        condition({ rule: 'weekly-increase', severity: 'caution', dedupeKey: 'load', facts }, () =>
          weeklyIncreasePresentation.message({ acuteM, baselineWeeklyM, ratio }, units),
        ),
      ],
      reason,
    );
  },
  changes: () => ({ runs: 'all', afterRun: [0, ACUTE_DAYS, LOAD_WINDOW_DAYS], historyDays: LOAD_WINDOW_DAYS }),
};
