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
  /** The status of its last result when that result had no condition; null: evaluate again. */
  quietStatus: RuleStatus | null;
}

const RUNS_THAT_COUNT: Record<ResultChanges['runs'], (run: LoggedRun) => boolean> = {
  all: () => true,
  'with-pain': (run) => run.pain.length > 0,
  'with-shoe': (run) => run.shoeId !== null,
};

/**
 * The engine for the replay of one runner, day after day from the first run to the last: a rule is
 * run again only on the days its result can change (Rule.changes) or while it has conditions (their
 * facts name dates); on other days its quiet result (clear, or not enough data) stands. The same
 * conditions and judged rules as evaluateDay on every day, for a fraction of the work.
 */
export class ChangedRules {
  private readonly rules: TrackedRule[];
  private readonly firstDay: number;

  constructor(log: TrainingLog, thresholds: Thresholds) {
    this.firstDay = log.runs[0].day;
    const span = log.runs[log.runs.length - 1].day - this.firstDay + 1;
    this.rules = RULES.map((rule) => ({
      rule,
      enabled: thresholds[rule.id].enabled,
      changeDays: changeDays(rule.changes(thresholds), log, this.firstDay, span),
      quietStatus: null,
    }));
  }

  /** Call for successive days. */
  evaluate(context: RuleContext): { conditions: Condition[]; judgedRules: RuleId[] } {
    const conditions: Condition[] = [];
    const judgedRules: RuleId[] = [];
    const slot = context.today - this.firstDay;
    for (const tracked of this.rules) {
      if (!tracked.enabled) {
        judgedRules.push(tracked.rule.id);
        continue;
      }
      let status = tracked.quietStatus;
      if (status === null || tracked.changeDays[slot] === 1) {
        const result = tracked.rule.evaluate(context);
        for (const condition of result.conditions) conditions.push(condition);
        status = result.status;
        tracked.quietStatus = result.conditions.length ? null : status;
      }
      if (status !== 'insufficient-data') judgedRules.push(tracked.rule.id);
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
