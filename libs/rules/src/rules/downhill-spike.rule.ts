/**
 * downhill-spike — the last 7 days' descent against the mean week of the 28 days before them.
 *
 * Evidence: Orchard et al., Am J Sports Med 1996 (9 runners with ITBS, 11 cadaver knees): the IT
 * band impinges on the lateral femoral epicondyle near foot strike, at or just below 30° of knee
 * flexion (21.4° ± 4.3° in the runners); downhill running predisposes to it because the knee is
 * less flexed at foot strike. The threshold itself (1.5 × and 300 m) is a rule of thumb.
 *
 * Defaults: caution when the week's descent is above 1.5 × the baseline week and above 300 m.
 * Silent when more than a quarter of the distance in the window has no elevation data.
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
import { downhillSpikePresentation } from './downhill-spike.presentation';
const MAX_SHARE_WITHOUT_ELEVATION = 0.25;

export const downhillSpike: Rule = {
  id: 'downhill-spike',
  evaluate(context: RuleContext): RuleResult {
    const settings = context.thresholds['downhill-spike'];
    const problem = loadWindowProblem(context, LOAD_WINDOW_DAYS);
    if (problem) return insufficient(problem);
    const end = context.lastKnownDay;
    const from = end - LOAD_WINDOW_DAYS + 1;
    const withoutElevation = context.log.distanceWithoutElevationBetween(from, end);
    const total = context.log.distanceBetween(from, end);
    if (total > 0 && withoutElevation / total > MAX_SHARE_WITHOUT_ELEVATION) {
      return insufficient(
        () => `${Math.round((withoutElevation / total) * 100)} % of the distance in the last 5 weeks has no elevation data`,
      );
    }
    const window = acuteAgainstBaseline(context, (start, to) => context.log.elevationLossBetween(start, to));
    const { acute: acuteLossM, baselineWeekly: baselineWeeklyLossM, acuteStart } = window;
    const reason = () => `descent in the last 7 days ${Math.round(acuteLossM)} m vs ${Math.round(baselineWeeklyLossM)} m a week before`;
    const ratio = baselineWeeklyLossM > 0 ? acuteLossM / baselineWeeklyLossM : null;
    const spike = acuteLossM > settings.minLossM + EPSILON && (ratio === null || ratio > settings.caution + EPSILON);
    if (!spike) return clear(() => `${reason()}: not above ${settings.caution} × and ${settings.minLossM} m`);
    const facts = {
      acuteLossM: round(acuteLossM, 1),
      baselineWeeklyLossM: round(baselineWeeklyLossM, 1),
      ratio: ratio === null ? null : round(ratio, 3),
      ...windowFacts(acuteStart, end),
    };
    return triggered(
      [
        condition({ rule: 'downhill-spike', severity: 'caution', dedupeKey: 'descent', facts }, () =>
          downhillSpikePresentation.message({ acuteLossM, baselineWeeklyLossM, ratio }, context.units),
        ),
      ],
      reason,
    );
  },
  changes: () => ({ runs: 'all', afterRun: [0, ACUTE_DAYS, LOAD_WINDOW_DAYS], historyDays: LOAD_WINDOW_DAYS }),
};
