import type { RuleId } from '@deload/domain';
import { RULES } from '../rules';
import type { ResultChanges, Rule, RuleContext } from '../rules/rule';
import type { Thresholds } from '../thresholds';
import type { LoggedRun, TrainingLog } from '../training-log';
import type { Condition, RuleStatus } from '../types';

interface TrackedRule {
  rule: Rule;
  enabled: boolean;
  /** 1 on the days (from the log's first day) its result can change. */
  changeDays: Uint8Array;
  /** Its conditions hold between change days too (ResultChanges.steady). */
  steady: boolean;
  /** The status of its last result, when that result may stand; null: evaluate again. */
  status: RuleStatus | null;
  /** The conditions of that result (none unless the rule is steady). */
  conditions: readonly Condition[];
}

const RUNS_THAT_COUNT: Record<ResultChanges['runs'], (run: LoggedRun) => boolean> = {
  all: () => true,
  'with-pain': (run) => run.pain.length > 0,
  'with-shoe': (run) => run.shoeId !== null,
};

const NONE: readonly Condition[] = [];

/**
 * The engine for the replay of one runner, day after day from the first run to the last: a rule is
 * run again only on the days its result can change (Rule.changes), or every day while it has
 * conditions that name the day (not `steady`); on other days its last result stands. The same
 * conditions and judged rules as evaluateDay on every day, for a fraction of the work.
 *
 * The lists it returns are reused the next day: read them before calling again.
 */
export class ChangedRules {
  private readonly rules: TrackedRule[];
  private readonly firstDay: number;
  private readonly conditions: Condition[] = [];
  private readonly judgedRules: RuleId[] = [];

  constructor(log: TrainingLog, thresholds: Thresholds) {
    this.firstDay = log.runs[0].day;
    const span = log.runs[log.runs.length - 1].day - this.firstDay + 1;
    this.rules = RULES.map((rule) => {
      const changes = rule.changes(thresholds);
      return {
        rule,
        enabled: thresholds[rule.id].enabled,
        changeDays: changeDays(changes, log, this.firstDay, span),
        steady: !!changes.steady,
        status: null,
        conditions: NONE,
      };
    });
  }

  /** Call for successive days. */
  evaluate(context: RuleContext): { conditions: readonly Condition[]; judgedRules: readonly RuleId[] } {
    const { conditions, judgedRules } = this;
    conditions.length = 0;
    judgedRules.length = 0;
    const slot = context.today - this.firstDay;
    for (const tracked of this.rules) {
      if (!tracked.enabled) {
        judgedRules.push(tracked.rule.id);
        continue;
      }
      if (tracked.status === null || tracked.changeDays[slot] === 1) {
        const result = tracked.rule.evaluate(context);
        const stands = tracked.steady || !result.conditions.length;
        tracked.status = stands ? result.status : null;
        tracked.conditions = stands ? result.conditions : NONE;
        for (const condition of result.conditions) conditions.push(condition);
        if (result.status !== 'insufficient-data') judgedRules.push(tracked.rule.id);
        continue;
      }
      for (const condition of tracked.conditions) conditions.push(condition);
      if (tracked.status !== 'insufficient-data') judgedRules.push(tracked.rule.id);
    }
    return { conditions, judgedRules };
  }
}

function changeDays(changes: ResultChanges, log: TrainingLog, firstDay: number, span: number): Uint8Array {
  const days = new Uint8Array(span);
  const counts = RUNS_THAT_COUNT[changes.runs];
  for (const run of log.runs) {
    if (!counts(run)) continue;
    for (const after of changes.afterRun) {
      const slot = run.day - firstDay + after;
      if (slot < span) days[slot] = 1;
    }
  }
  if (changes.historyDays !== undefined && changes.historyDays - 1 < span) days[changes.historyDays - 1] = 1;
  return days;
}
