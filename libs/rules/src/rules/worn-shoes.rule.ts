/**
 * worn-shoes — the distance on each shoe the runner is using.
 *
 * Evidence: that running shoes lose cushioning somewhere between 480 and 800 km (300–500 mi) is an
 * industry rule of thumb, not an injury finding. Malisoux et al., Scand J Med Sci Sports 2015
 * (264 runners, 22 weeks): runners who used more than one pair in parallel had a lower injury
 * risk (hazard ratio 0.61), hence the suggestion to rotate pairs.
 *
 * Defaults: info at 500 km, warning at 800 km or at the shoe's own retire distance (Strava's
 * notification distance) when set. A shoe counts as in use when a run in the last 14 days used it;
 * retired shoes are skipped. Rotating is suggested when one pair carried over 90 % of 8 weeks' runs.
 */
import type { Severity } from '@deload/domain';
import type { Condition, EngineShoe } from '../types';
import type { TrainingLog } from '../training-log';
import { round } from '../statistics';
import { clear, condition, Rule, RuleContext, RuleResult, triggered } from './rule';
import { wornShoesPresentation } from './worn-shoes.presentation';

const IN_USE_DAYS = 14;
/** The window in which the rule looks at how runs spread over pairs (8 weeks), and the runs it needs there. */
export const ROTATION_DAYS = 56;
export const ROTATION_MIN_RUNS = 8;

export const wornShoes: Rule = {
  id: 'worn-shoes',
  evaluate(context: RuleContext): RuleResult {
    const inUse = shoesInUse(context);
    if (!inUse.size) return clear(() => `no shoe recorded on runs in the last ${IN_USE_DAYS} days`);
    const rotation = rotationRange(context);
    const last = lastResults.get(context.log);
    if (last && sameInputs(last, context, inUse, rotation)) return last.result;
    const conditions: Condition[] = [];
    for (const shoeId of inUse) {
      const shoe = context.shoes.get(shoeId);
      const condition = shoe && !shoe.retired && shoe.distanceM !== null ? shoeCondition(context, shoe, shoe.distanceM, rotation) : null;
      if (condition) conditions.push(condition);
    }
    const reason = () => [...inUse].map((shoeId) => describeShoe(shoeId, context.shoes.get(shoeId))).join('; ');
    const result = conditions.length ? triggered(conditions, reason) : clear(reason);
    lastResults.set(context.log, {
      inUse,
      rotation,
      states: shoeStates(context, inUse),
      shoes: context.shoes,
      thresholds: context.thresholds,
      units: context.units,
      result,
    });
    return result;
  },
  // A shoe's distance grows on the days of its runs; nothing in a condition names the day.
  changes: () => ({ runs: 'with-shoe', afterRun: [0, IN_USE_DAYS, ROTATION_DAYS], steady: true }),
};

function describeShoe(shoeId: string, shoe: EngineShoe | undefined): string {
  if (!shoe) return `shoe ${shoeId}: unknown`;
  if (shoe.retired) return `${shoe.name}: retired`;
  if (shoe.distanceM === null) return `${shoe.name}: distance unknown`;
  return `${shoe.name}: ${shoe.distanceIsLowerBound ? 'at least ' : ''}${round(shoe.distanceM / 1000, 1)} km`;
}

/** The last answer per log: on most replay days the range of runs, and so the answer, has not changed. */
const inUseCache = new WeakMap<TrainingLog, { start: number; end: number; ids: Set<string> }>();

function shoesInUse(context: RuleContext): Set<string> {
  const start = context.log.firstIndexFrom(context.today - IN_USE_DAYS + 1);
  const end = context.log.firstIndexFrom(Math.min(context.today, context.lastKnownDay) + 1);
  const cached = inUseCache.get(context.log);
  if (cached && cached.start === start && cached.end === end) return cached.ids;
  const ids = new Set<string>();
  for (let index = start; index < end; index++) {
    const shoeId = context.log.runs[index].shoeId;
    if (shoeId) ids.add(shoeId);
  }
  inUseCache.set(context.log, { start, end, ids });
  return ids;
}

/** The runs of the last 8 weeks, as [start, end) indexes. */
interface RotationRange {
  start: number;
  end: number;
}

function rotationRange(context: RuleContext): RotationRange {
  return {
    start: context.log.firstIndexFrom(context.today - ROTATION_DAYS + 1),
    end: context.log.firstIndexFrom(Math.min(context.today, context.lastKnownDay) + 1),
  };
}

/** What the result reads of each shoe in use: its distance and whether it is retired (NaN: unknown shoe or distance). */
function shoeStates(context: RuleContext, inUse: Set<string>): number[] {
  const states: number[] = [];
  for (const shoeId of inUse) {
    const shoe = context.shoes.get(shoeId);
    states.push(shoe?.distanceM ?? NaN, shoe?.retired ? 1 : 0);
  }
  return states;
}

interface LastResult {
  inUse: Set<string>;
  rotation: RotationRange;
  states: number[];
  shoes: RuleContext['shoes'];
  thresholds: RuleContext['thresholds'];
  units: RuleContext['units'];
  result: RuleResult;
}

/**
 * The last result per log and what it was made from: the replay asks on most days while a shoe is
 * past its distance, and the answer (its conditions included) is the same until a run changes it.
 */
const lastResults = new WeakMap<TrainingLog, LastResult>();

function sameInputs(last: LastResult, context: RuleContext, inUse: Set<string>, rotation: RotationRange): boolean {
  return (
    last.inUse === inUse &&
    last.rotation.start === rotation.start &&
    last.rotation.end === rotation.end &&
    last.shoes === context.shoes &&
    last.thresholds === context.thresholds &&
    last.units === context.units &&
    sameShoeStates(last.states, context, inUse)
  );
}

/** shoeStates(context, inUse) equals `states`, compared without making the list (the replay asks daily). */
function sameShoeStates(states: readonly number[], context: RuleContext, inUse: Set<string>): boolean {
  if (states.length !== 2 * inUse.size) return false;
  let index = 0;
  for (const shoeId of inUse) {
    const shoe = context.shoes.get(shoeId);
    if (!Object.is(states[index], shoe?.distanceM ?? NaN) || states[index + 1] !== (shoe?.retired ? 1 : 0)) return false;
    index += 2;
  }
  return true;
}

function shoeCondition(context: RuleContext, shoe: EngineShoe, distanceM: number, rotation: RotationRange): Condition | null {
  const settings = context.thresholds['worn-shoes'];
  const warningAtM = shoe.retireThresholdM ?? settings.warningM;
  const infoAtM = settings.infoM < warningAtM ? settings.infoM : null;
  const severity: Severity | null = distanceM >= warningAtM ? 'warning' : infoAtM !== null && distanceM >= infoAtM ? 'info' : null;
  if (!severity) return null;
  const share = rotationShare(context, shoe.id, rotation);
  const concentrated = share !== null && share > settings.rotationShare ? share : null;
  return condition(
    {
      rule: 'worn-shoes',
      severity,
      dedupeKey: `shoe-${shoe.id}`,
      facts: {
        shoeId: shoe.id,
        shoeName: shoe.name,
        distanceM: round(distanceM, 1),
        distanceIsLowerBound: !!shoe.distanceIsLowerBound,
        thresholdM: severity === 'warning' ? warningAtM : infoAtM,
        retireAtM: warningAtM,
        shareOfRecentRuns: share === null ? null : round(share, 3),
      },
    },
    () =>
      wornShoesPresentation.message({ severity, shoe, distanceM, retireAtM: warningAtM, concentratedShare: concentrated }, context.units),
  );
}

/** Share of the runs of the last 8 weeks done in this shoe, or null when too few runs record a shoe. */
function rotationShare(context: RuleContext, shoeId: string, { start, end }: RotationRange): number | null {
  let withShoe = 0;
  let inThisShoe = 0;
  for (let index = start; index < end; index++) {
    const run = context.log.runs[index];
    if (!run.shoeId) continue;
    withShoe += 1;
    if (run.shoeId === shoeId) inThisShoe += 1;
  }
  return withShoe >= ROTATION_MIN_RUNS ? inThisShoe / withShoe : null;
}
