import type { RuleId } from '@deload/domain';
import { RULES } from '../rules';
import type { ResultChanges, Rule, RuleContext, RuleResult } from '../rules/rule';
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
  /** Its last result may stand until the next change day; false: evaluate again. */
  stands: boolean;
  /** The status and conditions of its last result. */
  status: RuleStatus | null;
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
        stands: false,
        status: null,
        conditions: NONE,
      };
    });
  }

  /** Call for successive days. */
  evaluate(context: RuleContext): { conditions: readonly Condition[]; judgedRules: readonly RuleId[] } {
    const slot = context.today - this.firstDay;
    let conditionCount = 0;
    let judgedCount = 0;
    // Indexed loops and writes in place: this runs for every runner-day, and `for…of` over lists of
    // mixed kinds and `length = 0` (which drops a list's storage) made garbage each time.
    for (let ruleIndex = 0; ruleIndex < this.rules.length; ruleIndex++) {
      const tracked = this.rules[ruleIndex];
      if (!tracked.enabled) {
        this.judgedRules[judgedCount++] = tracked.rule.id;
        continue;
      }
      if (!tracked.stands || tracked.changeDays[slot] === 1) this.remember(tracked, tracked.rule.evaluate(context));
      const found = tracked.conditions;
      for (let index = 0; index < found.length; index++) this.conditions[conditionCount++] = found[index];
      if (tracked.status !== 'insufficient-data') this.judgedRules[judgedCount++] = tracked.rule.id;
    }
    return { conditions: keepFirst(this.conditions, conditionCount), judgedRules: keepFirst(this.judgedRules, judgedCount) };
  }

  /** Keeps a rule's result: its status and conditions stand on the days it cannot change, unless they name the day. */
  private remember(tracked: TrackedRule, result: RuleResult): void {
    tracked.stands = tracked.steady || !result.conditions.length;
    tracked.status = result.status;
    tracked.conditions = result.conditions;
  }
}

/** The first `count` entries of a list reused day after day; an empty day gets NONE so the list keeps its storage. */
function keepFirst<T>(list: T[], count: number): readonly T[] {
  if (count === 0) return NONE as readonly T[];
  list.length = count;
  return list;
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
